// Vitest global setup: decides the PostgreSQL half of the test matrix (the PGlite half always runs).
//
//   TEST_DATABASE_URL set        -> use that server (CI starts it itself); we do not stop it
//   PostgreSQL binaries present  -> start a throwaway server (postgres-server.sh) in a temp dir,
//                                   stop it and remove the dir in teardown
//   REQUIRE_POSTGRES=1           -> otherwise fail loudly
//   else                         -> warn and run the PGlite half only (postgresUrl = null)
//
// Tests read the result with `inject('postgresUrl')`, normally through test/support/backends.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (superuser, database `postgres`) of the PostgreSQL server, or null: PGlite only. */
    postgresUrl: string | null;
    /** Absolute path of test/support/postgres-server.sh (start/stop/restart a private server). */
    postgresServerScript: string;
    /** A PGlite data directory right after initdb, dumped once per run: a file's PGlite starts from it (docs/stack.md trap 6). */
    pgliteTemplate: string;
  }
}

const run = promisify(execFile);
const script = fileURLToPath(new URL('./postgres-server.sh', import.meta.url));

async function postgresBinariesPresent(): Promise<boolean> {
  try {
    await run('bash', [script, 'bindir']);
    return true;
  } catch {
    return false;
  }
}

/** initdb once per run, not once per file: the dump of an empty PGlite, written to a temporary file. */
async function pgliteTemplate(): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tramita-pglite-'));
  const pglite = await PGlite.create('memory://');
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('postgresServerScript', script);
  const template = await pgliteTemplate();
  project.provide('pgliteTemplate', template.file);
  const teardown = await startPostgres(project);
  return async () => {
    await teardown();
    await template.remove();
  };
}

async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.TEST_DATABASE_URL?.trim();
  if (fromEnv) {
    project.provide('postgresUrl', fromEnv);
    return async () => {};
  }

  if (!(await postgresBinariesPresent())) {
    if (process.env.REQUIRE_POSTGRES === '1') {
      throw new Error(
        'REQUIRE_POSTGRES=1 but no PostgreSQL is available: TEST_DATABASE_URL is not set and the PostgreSQL ' +
          'server binaries were not found (`pg_config --bindir`, /usr/lib/postgresql/*/bin). ' +
          'Install them (apt-get install -y postgresql) or set TEST_DATABASE_URL.',
      );
    }
    console.warn(
      '\n[global-setup] PostgreSQL binaries not found: running the PGlite half only. ' +
        '(Install postgresql or set TEST_DATABASE_URL to run the PostgreSQL half too.)\n',
    );
    project.provide('postgresUrl', null);
    return async () => {};
  }

  const dir = await mkdtemp(join(tmpdir(), 'tramita-pg-'));
  const started = Date.now();
  let url: string;
  try {
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 120_000 });
    url = stdout.trim().split('\n').pop()!.trim();
    if (!url.startsWith('postgres://')) throw new Error(`unexpected output from postgres-server.sh: ${stdout}`);
  } catch (error) {
    await run('bash', [script, 'stop', dir]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`[global-setup] could not start the throwaway PostgreSQL server: ${(error as Error).message}\n${stderr}`);
  }
  console.log(`[global-setup] throwaway PostgreSQL at ${url} (${dir}), started in ${Date.now() - started} ms`);
  project.provide('postgresUrl', url);

  return async () => {
    try {
      await run('bash', [script, 'stop', dir], { timeout: 120_000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
