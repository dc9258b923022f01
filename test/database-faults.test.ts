// Database faults are told apart from bugs (coded, retryable), and every statement has a time bound:
// the session's statement_timeout for reads, SET LOCAL in each write transaction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { databaseFault } from '../src/db/faults.js';
import { postgresAdminUrl, freshDatabase, type FreshDatabase } from './support/backends.js';

describe('databaseFault', () => {
  test.each([
    ['postgres.js lost connection', { code: 'CONNECTION_CLOSED' }, 'DATABASE_UNAVAILABLE'],
    ['refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'DATABASE_UNAVAILABLE'],
    ['server shutting down (57P01)', { code: '57P01' }, 'DATABASE_UNAVAILABLE'],
    ['connection exception class 08', { code: '08006' }, 'DATABASE_UNAVAILABLE'],
    ['wrapped by drizzle', new Error('Failed query', { cause: { code: 'CONNECTION_DESTROYED' } }), 'DATABASE_UNAVAILABLE'],
    ['statement_timeout (57014)', new Error('Failed query', { cause: { code: '57014' } }), 'DATABASE_TIMEOUT'],
  ])('%s → %s, retryable', (_name, error, code) => {
    expect(databaseFault(error)?.extensions).toEqual({ code: code, retryable: true });
  });

  test.each([
    ['a unique violation', { code: '23505' }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', null],
  ])('%s is not a database fault', (_name, error) => {
    expect(databaseFault(error)).toBeNull();
  });
});

describe.skipIf(!postgresAdminUrl())('postgres: statement timeouts per kind of work', () => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    fresh = await freshDatabase('postgres');
    if (fresh.options.kind !== 'postgres') throw new Error('unreachable');
    handle = await createDatabase({ ...fresh.options, timeouts: { readMs: 1_500, writeMs: 700 } });
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  test('reads run under the read timeout, write transactions under the write timeout', async () => {
    expect(await handle.rows('show statement_timeout')).toEqual([{ statement_timeout: '1500ms' }]);
    const inTransaction = await handle.db.transaction(async (tx) => tx.execute(sql`show statement_timeout`));
    expect(JSON.stringify(inTransaction)).toContain('700ms');
  });

  test('a statement past its timeout fails as DATABASE_TIMEOUT, retryable', async () => {
    const error = await handle.db.transaction(async (tx) => tx.execute(sql`select pg_sleep(2)`)).catch((e: unknown) => e);
    expect(databaseFault(error)?.extensions.code).toBe('DATABASE_TIMEOUT');
  });
});
