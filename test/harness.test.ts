// Tests of the test rig itself: every backend gets migrated, isolated databases, and LISTEN/NOTIFY
// that follows transaction outcome (docs/stack.md trap 2).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import { BACKENDS, freshDatabase, postgresAdminUrl, type FreshDatabase } from './support/backends.js';

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the backend matrix follows the provided PostgreSQL URL', () => {
  expect(BACKENDS[0]).toBe('pglite');
  expect(BACKENDS).toEqual(postgresAdminUrl() ? ['pglite', 'postgres'] : ['pglite']);
  if (process.env.REQUIRE_POSTGRES === '1') expect(BACKENDS).toContain('postgres');
});

describe.each(BACKENDS)('%s', (backend) => {
  const fresh: FreshDatabase[] = [];
  let a: DatabaseHandle;
  let b: DatabaseHandle;

  beforeAll(async () => {
    fresh.push(await freshDatabase(backend), await freshDatabase(backend));
    [a, b] = await Promise.all([createDatabase(fresh[0]!.options), createDatabase(fresh[1]!.options)]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await Promise.all(fresh.map((f) => f.drop()));
  });

  test('createDatabase applies the migrations to a fresh, empty database', async () => {
    expect(a.backend).toBe(backend);
    expect(await a.rows<{ n: number }>('select count(*)::int as n from tramites')).toEqual([{ n: 0 }]);
    expect(await b.rows<{ n: number }>('select count(*)::int as n from tramites')).toEqual([{ n: 0 }]);
  });

  test('two fresh databases on the same backend are isolated', async () => {
    if (backend === 'postgres') expect(fresh[0]!.url).not.toBe(fresh[1]!.url);
    // Ids from 100: the migrations seed production's repositórios 1 to 14 in both.
    await a.rows('insert into repositorios (id, nome) values ($1, $2)', [100, 'visível só em A']);
    expect(await a.rows('select id, nome from repositorios where id >= 100')).toEqual([{ id: 100, nome: 'visível só em A' }]);
    expect(await b.rows('select id, nome from repositorios where id >= 100')).toEqual([]);
  });

  test('listen delivers pg_notify from a committed transaction, not from a rolled-back one', async () => {
    const received: string[] = [];
    const unlisten = await a.listen('canal_teste', (payload) => received.push(payload));
    try {
      await expect(
        a.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_notify('canal_teste', 'rolled-back')`);
          throw new Error('roll back on purpose');
        }),
      ).rejects.toThrow('roll back on purpose');
      await a.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('canal_teste', 'committed')`);
      });
      // Notifications arrive in commit order: once 'committed' is here, a leaked 'rolled-back'
      // (issued earlier) would be here too.
      await waitFor(() => received.includes('committed'));
      expect(received).toEqual(['committed']);
    } finally {
      await unlisten();
    }
  });
});
