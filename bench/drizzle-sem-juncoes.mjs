/**
 * `node --import ./bench/drizzle-sem-juncoes.mjs …`: the process loads drizzle-orm's relational query builder as
 * released, without patches/drizzle-orm+*.patch (a nested `one` relation as a per-row lateral sub-query instead of a
 * left join), so bench/sql-leituras.ts can catch the statement the gateway sent before the patch in the same run as
 * the one it sends now. The released file is rebuilt at start by reversing the patch on a temporary copy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const ARQUIVO = 'node_modules/drizzle-orm/pg-core/dialect.js';

if (isMainThread) {
  const raiz = join(dirname(fileURLToPath(import.meta.url)), '..');
  const patch = readdirSync(join(raiz, 'patches')).find((f) => f.startsWith('drizzle-orm+'));
  if (!patch) throw new Error('bench/drizzle-sem-juncoes.mjs: no patches/drizzle-orm+*.patch to reverse');
  const tmp = mkdtempSync(join(tmpdir(), 'drizzle-sem-juncoes-'));
  try {
    mkdirSync(join(tmp, dirname(ARQUIVO)), { recursive: true });
    cpSync(join(raiz, ARQUIVO), join(tmp, ARQUIVO));
    execFileSync('git', ['apply', '--reverse', `--include=${ARQUIVO}`, join(raiz, 'patches', patch)], { cwd: tmp, encoding: 'utf8' });
    register(import.meta.url, { data: { url: pathToFileURL(join(raiz, ARQUIVO)).href, source: readFileSync(join(tmp, ARQUIVO), 'utf8') } });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

let alvo;
export function initialize(data) {
  alvo = data;
}

export async function load(url, context, nextLoad) {
  if (url === alvo.url) return { format: 'module', source: alvo.source, shortCircuit: true };
  return nextLoad(url, context);
}
