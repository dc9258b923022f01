import {
  closeSync,
  cpSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Ambiente } from '../kernel/ambiente.js';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql, type Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgAsyncDatabase } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import { lockDataFolder } from './folder-lock.js';
import { relations } from './relations.js';

// Both drivers produce this type; the rest of the code never knows which one it talks to.
// biome-ignore lint/suspicious/noExplicitAny: the query-result HKT differs per driver; nothing downstream reads it.
export type Database = PgAsyncDatabase<any, typeof relations>;

/**
 * PostgreSQL `statement_timeout` per kind of work: a read statement outside a transaction (the
 * session default), and every statement of a write transaction (`SET LOCAL` at its start).
 */
export interface StatementTimeouts {
  readMs: number;
  writeMs: number;
}

export const DEFAULT_STATEMENT_TIMEOUTS: StatementTimeouts = { readMs: 10_000, writeMs: 5_000 };

/**
 * Where the drizzle migrations are: by default drizzle/ beside src/ (the source tree, tests). A bundle does not
 * keep this module's path (dist/scripts/*.js), so the built scripts pass theirs (dist/drizzle).
 */
interface MigrationsLocation {
  migrationsFolder?: string;
}

export type DatabaseOptions = MigrationsLocation &
  (
    | {
        kind: 'pglite';
        dataDir: string;
        /** A dump (`dumpDataDir`) to start a new data directory from instead of running initdb: tests' fast start. */
        loadDataDir?: Blob;
        /**
         * A data folder shut down cleanly (`npm run build` makes one with every migration applied): an empty
         * `dataDir` on disk starts as a copy of it instead of running initdb and the migrations.
         */
        template?: string;
        timeouts?: StatementTimeouts;
        ambientePadrao?: Ambiente;
      }
    | { kind: 'postgres'; url: string; poolSize?: number; timeouts?: StatementTimeouts; ambientePadrao?: Ambiente }
  );

/**
 * The migrations' session setting that names the deployment's environment (AMBIENTE_PADRAO): the migration that
 * introduced environments puts the rows that existed before it there (default PRODUCAO).
 */
const AMBIENTE_PADRAO_DA_MIGRACAO = 'tramita.ambiente_padrao';

export interface DatabaseHandle {
  db: Database;
  backend: 'pglite' | 'postgres';
  /** Raw rows of a statement, the same shape on both drivers (docs/stack.md trap 4). */
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * LISTEN on a lower-case channel; resolves once listening. `onListen` runs each time the listening
   * connection is (re)established, so the caller can catch up on what it missed. Returns the stop function.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Called for every SQL statement drizzle sends; tests count statements with it. */
  onQuery?: (sql: string, params: unknown[]) => void;
}

const SOURCE_MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * PGlite's buffer pool (PostgreSQL's default is 128 MB, all of it inside the WebAssembly memory): the embedded
 * database is one process's demo or development data, which the host's page cache holds anyway. 32 MB takes
 * ~100 MB off the idle process and some of the time to open.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** The contrib extensions the migrations create (structure search: pg_trgm, unaccent); PGlite loads them at open. */
export const PGLITE_EXTENSIONS = { pg_trgm, unaccent };

export async function createDatabase(options: DatabaseOptions, extra: CreateDatabaseOptions = {}): Promise<DatabaseHandle> {
  const logger: DrizzleLogger | undefined = extra.onQuery ? { logQuery: (query, params) => extra.onQuery!(query, params) } : undefined;
  if (options.kind === 'postgres') return openPostgres(options, logger);
  const handle = await openPglite(options, logger);
  boundWriteTransactions(handle.db, (options.timeouts ?? DEFAULT_STATEMENT_TIMEOUTS).writeMs);
  return handle;
}

/** The statement that bounds every statement of a write transaction. */
const limiteDeEscrita = (writeMs: number) => `set local statement_timeout = ${Math.trunc(writeMs)}`;

/**
 * Every `db.transaction` (the write paths: steps, onboarding moves, automatic cancellation) starts
 * with `SET LOCAL statement_timeout`, so one slow statement cannot hold row locks for long.
 * Savepoints (`tx.transaction`) inherit it. The SET is not awaited before the transaction's first
 * statement on PostgreSQL (`comLimiteDeEscrita`): both go out together, one round trip instead of two;
 * should the SET fail, the statements after it fail too and the SET's own error is the one reported.
 * On PGlite (in process) it is awaited before the body.
 */
function boundWriteTransactions(db: Database, writeMs: number): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((run: (tx: never) => Promise<unknown>, config?: unknown) =>
    transaction(async (tx) => {
      // In process there is no round trip to save, and awaiting it keeps it first whatever the body sends.
      await tx.execute(sql.raw(limiteDeEscrita(writeMs)));
      return run(tx as never);
    }, config as never)) as Database['transaction'];
}

/**
 * Whether a migration in the folder is not yet recorded as applied: one SELECT of the names drizzle's
 * migrator records (it decides by name too), so a start on a current database skips reading and hashing
 * every migration file. Any doubt (no journal table yet, another shape) answers true: the migrator decides.
 */
async function migrationsPending(migrationsFolder: string, rows: (text: string) => Promise<{ name: string | null }[]>): Promise<boolean> {
  const local = readdirSync(migrationsFolder).filter((name) => existsSync(`${migrationsFolder}/${name}/migration.sql`));
  try {
    const applied = new Set((await rows('select name from drizzle.__drizzle_migrations')).map((row) => row.name));
    return local.some((name) => !applied.has(name));
  } catch {
    return true;
  }
}

/**
 * Fills an empty data folder with a copy of the template, through a sibling folder renamed into place:
 * a copy cut short never leaves a half database behind.
 */
function copyTemplate(template: string, dataDir: string): void {
  if (readdirSync(dataDir).length > 0) return;
  const partial = `${dataDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  // WAL segments (pg_wal/0…) copied apart, as sparse files.
  const wal = join(template, 'pg_wal');
  const isSegment = (path: string) => dirname(path) === wal && basename(path).startsWith('0');
  cpSync(template, partial, { recursive: true, filter: (source) => !isSegment(source) });
  for (const name of readdirSync(wal).filter((entry) => isSegment(join(wal, entry))))
    copySparse(join(wal, name), join(partial, 'pg_wal', name));
  rmdirSync(dataDir);
  renameSync(partial, dataDir);
}

const WAL_PAGE = 8192;
const ZERO_PAGE = Buffer.alloc(WAL_PAGE);

/**
 * A WAL segment is 16 MB written from its start, the rest zeros (the next one, pre-allocated, all zeros): the copy
 * writes up to its last page with data and leaves the rest a hole of the same length, which reads as zeros.
 */
function copySparse(source: string, target: string): void {
  const bytes = readFileSync(source);
  let end = bytes.length;
  while (end > 0 && bytes.subarray(Math.max(0, end - WAL_PAGE), end).equals(ZERO_PAGE.subarray(0, Math.min(WAL_PAGE, end))))
    end -= WAL_PAGE;
  end = Math.max(0, end);
  const fd = openSync(target, 'w', 0o600);
  try {
    if (end > 0) writeSync(fd, bytes, 0, end, 0);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

async function openPglite(
  {
    dataDir,
    loadDataDir,
    template,
    ambientePadrao,
    migrationsFolder = SOURCE_MIGRATIONS,
  }: { dataDir: string; loadDataDir?: Blob; template?: string; ambientePadrao?: Ambiente } & MigrationsLocation,
  logger: DrizzleLogger | undefined,
): Promise<DatabaseHandle> {
  const onDisk = !dataDir.includes('://');
  if (onDisk) mkdirSync(dataDir, { recursive: true });
  // One process per folder: a second one fails here, before opening anything.
  const unlock = onDisk ? lockDataFolder(dataDir) : () => {};
  let client: PGlite;
  let db: ReturnType<typeof drizzlePglite<typeof relations>>;
  try {
    if (onDisk && template) copyTemplate(template, dataDir);
    client = await PGlite.create(dataDir, { loadDataDir, extensions: PGLITE_EXTENSIONS, startParams: PGLITE_START_PARAMS });
    db = drizzlePglite({ client, relations, logger });
    if (await migrationsPending(migrationsFolder, async (text) => (await client.query<{ name: string | null }>(text)).rows)) {
      await client.query('select set_config($1, $2, false)', [AMBIENTE_PADRAO_DA_MIGRACAO, ambientePadrao ?? 'PRODUCAO']);
      await migratePglite(db, { migrationsFolder });
    }
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    db: db as unknown as Database,
    backend: 'pglite',
    rows: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    listen: async (channel, onPayload) => {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * postgres.js 3.4.9 can still reject a query promise nobody holds when PostgreSQL goes away under
 * load (an unhandled rejection with CONNECTION_CLOSED or a socket error), which would end the
 * process. Those exact driver failures are logged and survived: every query that was awaited has
 * already failed with the same error, and the caller answered DATABASE_UNAVAILABLE. Any other
 * unhandled rejection still crashes, as Node does by default.
 */
const DRIVER_CONNECTION_LOSS = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
]);
let driverGuardInstalled = false;
function guardDriverConnectionLoss(): void {
  if (driverGuardInstalled) return;
  driverGuardInstalled = true;
  process.on('unhandledRejection', (reason) => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && DRIVER_CONNECTION_LOSS.has(code)) {
      console.warn(
        JSON.stringify({
          level: 40,
          time: new Date().toISOString(),
          msg: 'database connection lost with a query in flight (survived)',
          code,
        }),
      );
      return;
    }
    throw reason;
  });
}

/**
 * The mark of a statement whose best plan depends on its values (a range, a prefix, a skewed value): PostgreSQL
 * connections keep the default `plan_cache_mode` (auto), so a prepared statement falls to a generic plan after five
 * custom ones when that plan costs about the same, and skips planning from then on (0.7–0.8 ms of W1's and the counts'
 * 1.3 ms). A page's size is written into its statement (`limit 51`, patches/drizzle-orm): with `limit $n` the generic
 * plan is costed for a tenth of the table and never chosen; so each page size a client asks for is one prepared
 * statement per connection (at most 101 per page shape). A statement whose generic plan is a bad one for some values (the structure search's: ~40 ms where its
 * custom plan takes 1–3 ms) carries this comment (`planoPorValores`) and goes as postgres.js's unnamed statement
 * (`prepare: false`), which PostgreSQL plans with its values at every execution: one round trip more, no plan reuse.
 * PGlite sends every statement unnamed, so there every statement is planned with its values.
 */
export const PLANO_POR_VALORES = '/* plano por valores */';
export const planoPorValores = sql.raw(PLANO_POR_VALORES);

/**
 * drizzle's postgres-js driver sends every statement unprepared (`prepare: false`). postgres.js then describes each
 * statement that has parameters before running it (Parse/Describe, wait, then Bind/Execute): two round trips per
 * statement, and nothing pipelined behind it, so statements issued together still go one by one. Here a statement
 * with parameters goes prepared, postgres.js's own default for its tagged queries: described once per connection
 * (the cache lives as long as the connection, recycled by postgres.js's max_lifetime), then one round trip, and
 * statements issued together share one. Statements without parameters (BEGIN, SET, COPY) are sent as before, and so
 * are those marked PLANO_POR_VALORES (planned with their values each time).
 */
function comInstrucoesPreparadas(sql: postgres.Sql): postgres.Sql {
  type ComCorpo = (...args: unknown[]) => unknown;
  // begin(fn) / begin(options, fn) and savepoint(fn) / savepoint(name, fn): the reserved connection handed to the callback.
  const envolverCorpo =
    (metodo: ComCorpo) =>
    (...args: unknown[]) => {
      const corpo = args.pop() as (tx: postgres.Sql) => unknown;
      return metodo(...args, (tx: postgres.Sql) => corpo(comInstrucoesPreparadas(tx)));
    };
  return new Proxy(sql, {
    get(alvo, nome, receptor) {
      if (nome === 'unsafe')
        return (texto: string, params?: unknown[], opcoes?: postgres.UnsafeQueryOptions) =>
          alvo.unsafe(texto, params as never, params?.length ? { ...opcoes, prepare: !texto.includes(PLANO_POR_VALORES) } : opcoes);
      if (nome === 'begin' || nome === 'savepoint') return envolverCorpo((Reflect.get(alvo, nome) as ComCorpo).bind(alvo));
      return Reflect.get(alvo, nome, receptor);
    },
  });
}

/**
 * postgres.js: every transaction (`begin`) starts with the write bound (`boundWriteTransactions`), executed before its
 * body runs. postgres.js sends a connection's queries in the order they are executed, so the SET goes out ahead of
 * every statement of the body, pipelined with the first; through drizzle that order would depend on how many
 * promise turns each kind of statement takes before it reaches the driver (a raw statement takes more than a select).
 */
function comLimiteDeEscrita(sql: postgres.Sql, writeMs: number): postgres.Sql {
  return new Proxy(sql, {
    get(alvo, nome, receptor) {
      if (nome !== 'begin') return Reflect.get(alvo, nome, receptor);
      return (...args: unknown[]) => {
        const corpo = args.pop() as (tx: postgres.TransactionSql) => unknown;
        return (alvo.begin as (...a: unknown[]) => Promise<unknown>)(...args, async (tx: postgres.TransactionSql) => {
          const limite = tx.unsafe(limiteDeEscrita(writeMs)).execute();
          const [, resultado] = await Promise.all([limite, corpo(tx)]);
          return resultado;
        });
      };
    },
  });
}

async function openPostgres(
  options: { url: string; poolSize?: number; timeouts?: StatementTimeouts; ambientePadrao?: Ambiente } & MigrationsLocation,
  logger: DrizzleLogger | undefined,
): Promise<DatabaseHandle> {
  guardDriverConnectionLoss();
  const migrationsFolder = options.migrationsFolder ?? SOURCE_MIGRATIONS;
  const onnotice = () => {}; // "relation already exists, skipping" from the migrator is noise
  // Several gateway instances may start together: one migrates while the others wait on the lock.
  const migrationClient = postgres(options.url, { max: 1, onnotice });
  try {
    await migrationClient`select pg_advisory_lock(${ADVISORY_LOCKS.migrations})`;
    if (await migrationsPending(migrationsFolder, (text) => migrationClient.unsafe(text))) {
      await migrationClient`select set_config(${AMBIENTE_PADRAO_DA_MIGRACAO}, ${options.ambientePadrao ?? 'PRODUCAO'}, false)`;
      await migratePostgres(drizzlePostgres({ client: migrationClient, relations }), { migrationsFolder });
    }
    await migrationClient`select pg_advisory_unlock(${ADVISORY_LOCKS.migrations})`;
  } finally {
    await migrationClient.end();
  }
  // Reconnect backoff capped at 2 s (the default grows to 20 s): the event feeds' LISTEN comes back soon after the server does.
  const timeouts = options.timeouts ?? DEFAULT_STATEMENT_TIMEOUTS;
  const client = postgres(options.url, {
    max: options.poolSize ?? 10,
    onnotice,
    backoff: (attempt) => Math.min(0.05 * 2 ** attempt, 2),
    // A connection attempt that gets no answer fails (CONNECT_TIMEOUT, retryable) within the
    // execution deadline instead of the default 30 s, so the queries queued behind it move on.
    connect_timeout: 10,
    // Session defaults: a read statement is cancelled after readMs; a transaction left idle is ended.
    connection: {
      // No plan_cache_mode: prepared statements reuse a generic plan when PostgreSQL finds it as cheap as the custom
      // ones; those whose plan depends on their values are marked and planned each time (PLANO_POR_VALORES).
      statement_timeout: timeouts.readMs,
      idle_in_transaction_session_timeout: Math.max(timeouts.readMs, timeouts.writeMs) * 2,
    },
  });
  const db = drizzlePostgres({ client: comInstrucoesPreparadas(comLimiteDeEscrita(client, timeouts.writeMs)), relations, logger });
  return {
    db: db as unknown as Database,
    backend: 'postgres',
    rows: async <T>(text: string, params: unknown[] = []) =>
      (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
    listen: async (channel, onPayload, onListen) => {
      const subscription = await client.listen(channel, onPayload, onListen);
      return () => subscription.unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}
