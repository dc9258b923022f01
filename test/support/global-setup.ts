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
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { PGLITE_EXTENSIONS } from '../../src/db/client.js';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (superuser, database `postgres`) of the PostgreSQL server, or null: PGlite only. */
    postgresUrl: string | null;
    /** Absolute path of test/support/postgres-server.sh (start/stop/restart a private server). */
    postgresServerScript: string;
    /** A PGlite data directory right after initdb, dumped once per run: a file's PGlite starts from it (docs/stack.md trap 6). */
    pgliteTemplate: string;
    /** The same after every migration: what a file's database starts from unless migrations are its subject. */
    pgliteMigratedTemplate: string;
    /** The PostgreSQL database with every migration applied that fresh databases copy, or null (PGlite only). */
    postgresMigratedTemplate: string | null;
  }
}

const run = promisify(execFile);
const script = fileURLToPath(new URL('./postgres-server.sh', import.meta.url));
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

async function postgresBinariesPresent(): Promise<boolean> {
  try {
    await run('bash', [script, 'bindir']);
    return true;
  } catch {
    return false;
  }
}

/**
 * initdb once per run, not once per file: dumps of a PGlite right after initdb (`empty`) and after the
 * migrations too (`migrated`, what most files start from), written to temporary files.
 */
async function pgliteTemplates(): Promise<{ empty: string; migrated: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tramita-pglite-'));
  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  const empty = join(dir, 'template.tar');
  await writeFile(empty, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder });
  const migrated = join(dir, 'template-migrated.tar');
  await writeFile(migrated, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await pglite.close();
  return { empty, migrated, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A database on the server with every migration applied, that `freshDatabase` copies (CREATE DATABASE … TEMPLATE). */
async function postgresTemplate(adminUrl: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `tramita_template_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client.end();
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    remove: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`).finally(() => sql.end());
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('postgresServerScript', script);
  const templates = await pgliteTemplates();
  project.provide('pgliteTemplate', templates.empty);
  project.provide('pgliteMigratedTemplate', templates.migrated);
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  let template: Awaited<ReturnType<typeof postgresTemplate>> | null = null;
  try {
    template = server.url ? await postgresTemplate(server.url) : null;
  } catch (error) {
    await server.stop();
    await templates.remove();
    throw error;
  }
  project.provide('postgresMigratedTemplate', template?.name ?? null);
  return async () => {
    try {
      await template?.remove();
    } finally {
      await server.stop();
      await templates.remove();
    }
  };
}

async function startPostgres(): Promise<{ url: string | null; stop: () => Promise<void> }> {
  const fromEnv = process.env.TEST_DATABASE_URL?.trim();
  if (fromEnv) return { url: fromEnv, stop: async () => {} };

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
    return { url: null, stop: async () => {} };
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
  return {
    url,
    stop: async () => {
      try {
        await run('bash', [script, 'stop', dir], { timeout: 120_000 });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
