// What database-touching tests import: the backend matrix and fresh, isolated databases.
//
//   describe.each(BACKENDS)('%s', (backend) => {
//     let fresh: FreshDatabase;
//     let handle: DatabaseHandle;
//     beforeAll(async () => {
//       fresh = await freshDatabase(backend);
//       handle = await createDatabase(fresh.options); // runs the migrations
//     });
//     afterAll(async () => {
//       await handle?.close();
//       await fresh?.drop();
//     });
//     ...
//   });
//
// PGlite costs ~2 s per instance (docs/stack.md trap 6): one per file or describe block, not per test.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { DatabaseOptions } from '../../src/db/client.js';

export type BackendName = 'pglite' | 'postgres';

export interface FreshDatabase {
  options: DatabaseOptions;
  /** postgres: URL of the new database; pglite: null (in-memory). */
  url: string | null;
  /** Drops the database (postgres, WITH (FORCE)); a no-op for pglite. Close your handle first. */
  drop(): Promise<void>;
}

const adminUrl: string | null = inject('postgresUrl') ?? null;
const pgliteTemplates = {
  empty: new Blob([readFileSync(inject('pgliteTemplate'))]),
  migrated: new Blob([readFileSync(inject('pgliteMigratedTemplate'))]),
};
const postgresMigratedTemplate: string | null = inject('postgresMigratedTemplate') ?? null;

export const BACKENDS: BackendName[] = adminUrl ? ['pglite', 'postgres'] : ['pglite'];

export function postgresAdminUrl(): string | null {
  return adminUrl;
}

async function withAdmin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  if (!adminUrl) throw new Error('no PostgreSQL server for this run (postgresUrl is null): use BACKENDS');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A fresh, empty, isolated database for one test file (or one describe block). With `migrated`, a copy of
 * one the global setup migrated once (createDatabase's migrations then find nothing to do): for files whose
 * subject is not the migrations themselves.
 */
export async function freshDatabase(backend: BackendName, { migrated = false }: { migrated?: boolean } = {}): Promise<FreshDatabase> {
  if (backend === 'pglite') {
    const loadDataDir = migrated ? pgliteTemplates.migrated : pgliteTemplates.empty;
    return { options: { kind: 'pglite', dataDir: 'memory://', loadDataDir }, url: null, drop: async () => {} };
  }
  const name = `t_${randomBytes(8).toString('hex')}`;
  await withAdmin((sql) => sql.unsafe(`create database "${name}"${migrated ? ` template "${postgresMigratedTemplate}"` : ''}`));
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    options: { kind: 'postgres', url: url.toString() },
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
    },
  };
}

export interface PrivatePostgresServer {
  /** Admin URL: postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  dir: string;
  /** Stops and starts the server on the same port (kills every connection); resolves to the URL. */
  restart(): Promise<string>;
  stop(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of one's own (~1 s to start), for tests that must stop or restart the server
 * (reconnection). Never restart the shared server from `postgresAdminUrl()`: other test files run on
 * it in parallel. Resolves to null when the PostgreSQL binaries are not installed (skip the test then).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgresServer | null> {
  const run = promisify(execFile);
  const script = inject('postgresServerScript');
  try {
    await run('bash', [script, 'bindir']);
  } catch {
    return null;
  }
  const dir = await mkdtemp(join(tmpdir(), 'tramita-pg-private-'));
  const lastLine = (stdout: string) => stdout.trim().split('\n').pop()!.trim();
  const stop = async () => {
    await run('bash', [script, 'stop', dir], { timeout: 120_000 });
  };
  try {
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 120_000 });
    return {
      url: lastLine(stdout),
      dir,
      restart: async () => lastLine((await run('bash', [script, 'restart', dir], { timeout: 120_000 })).stdout),
      stop,
      destroy: async () => {
        try {
          await stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
