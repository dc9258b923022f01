/**
 * `npm run schema:breaking` (and CI): the committed schema/schema.graphql against the one at the merge
 * base. A breaking change (graphql-js's findBreakingChanges) fails the check unless it is deliberate:
 * listed, line by line as printed here, in schema/deliberate-breaking-changes.txt, or announced by a
 * commit since the merge base whose message contains `BREAKING CHANGE:`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

export const SCHEMA_PATH = 'schema/schema.graphql';
export const DELIBERATE_FILE = 'schema/deliberate-breaking-changes.txt';
export const COMMIT_MARKER = 'BREAKING CHANGE:';

export interface SchemaComparison {
  breaking: string[];
  dangerous: string[];
  /** Breaking changes neither listed nor announced: these fail the check. */
  unacknowledged: string[];
}

/** Compares two SDLs; `deliberate` holds the lines of the deliberate-changes file, `announced` whether a commit says so. */
export function compareSchemas(baseSdl: string, headSdl: string, deliberate: readonly string[], announced: boolean): SchemaComparison {
  const base = buildSchema(baseSdl);
  const head = buildSchema(headSdl);
  const breaking = findBreakingChanges(base, head).map((c) => `${c.type}: ${c.description}`);
  const dangerous = findDangerousChanges(base, head).map((c) => `${c.type}: ${c.description}`);
  const listed = new Set(deliberate.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  const unacknowledged = announced ? [] : breaking.filter((c) => !listed.has(c));
  return { breaking, dangerous, unacknowledged };
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const tryGit = (...args: string[]): string | null => {
  try {
    return git(...args);
  } catch {
    return null;
  }
};

/** The merge base with the first of SCHEMA_BASE_REF, origin/main, main that exists. */
function mergeBase(): { ref: string; commit: string } | null {
  const candidates = [process.env.SCHEMA_BASE_REF, 'origin/main', 'main'].filter((r): r is string => !!r);
  for (const ref of candidates) {
    const commit = tryGit('merge-base', 'HEAD', ref);
    if (commit) return { ref, commit };
  }
  return null;
}

function main(): number {
  const base = mergeBase();
  if (!base) {
    console.log('schema check: no merge base (SCHEMA_BASE_REF, origin/main, main): nothing to compare, skipped');
    return 0;
  }
  const baseSdl = tryGit('show', `${base.commit}:${SCHEMA_PATH}`);
  if (baseSdl === null) {
    console.log(`schema check: ${SCHEMA_PATH} does not exist at the merge base with ${base.ref}: skipped`);
    return 0;
  }
  const headSdl = git('show', `HEAD:${SCHEMA_PATH}`);
  const messages = git('log', '--format=%B', `${base.commit}..HEAD`);
  const announced = messages.includes(COMMIT_MARKER);
  const deliberate = existsSync(DELIBERATE_FILE) ? readFileSync(DELIBERATE_FILE, 'utf8').split('\n') : [];
  const result = compareSchemas(baseSdl, headSdl, deliberate, announced);

  console.log(`schema check: committed ${SCHEMA_PATH} against the merge base with ${base.ref} (${base.commit.slice(0, 10)})`);
  for (const change of result.dangerous) console.log(`  dangerous (allowed): ${change}`);
  for (const change of result.breaking) {
    const ok = !result.unacknowledged.includes(change);
    console.log(`  BREAKING${ok ? ' (deliberate)' : ''}: ${change}`);
  }
  if (result.unacknowledged.length > 0) {
    console.log(
      `schema check FAILED: ${result.unacknowledged.length} breaking change(s) for clients. If deliberate, add each line above ` +
        `(after "BREAKING: ") to ${DELIBERATE_FILE}, or say "${COMMIT_MARKER} <why>" in a commit message.`,
    );
    return 1;
  }
  console.log(`schema check: ${result.breaking.length === 0 ? 'no breaking change' : 'breaking changes are all deliberate'}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main());
