// How statements are planned: a prepared statement reuses a generic plan once PostgreSQL finds it as cheap as the
// custom ones (plan_cache_mode auto), while a statement marked `planoPorValores` goes unnamed and is planned with its
// values at every execution (the structure search). Both backends answer both kinds the same.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle, planoPorValores } from '../src/db/client.js';
import { BACKENDS, type FreshDatabase, freshDatabase } from './support/backends.js';

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    fresh = await freshDatabase(backend);
    // One connection, so the session's prepared statements (pg_prepared_statements) are the ones the test ran.
    handle = await createDatabase(fresh.options.kind === 'postgres' ? { ...fresh.options, poolSize: 1 } : fresh.options);
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  const linhas = (result: unknown) => ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];
  const preparadas = async (marca: string) =>
    linhas(
      await handle.db.execute(
        sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where strpos(statement, ${marca}) > 0 and strpos(statement, 'pg_prepared_statements') = 0`,
      ),
    );

  test('an unmarked statement with parameters is reused with a generic plan after five custom ones (postgres)', async () => {
    for (let i = 0; i < 8; i++) {
      const [linha] = linhas(await handle.db.execute(sql`select ${i}::int + 1 as n /* reutilizada */`));
      expect(Number(linha!.n)).toBe(i + 1);
    }
    const planos = await preparadas('/* reutilizada */');
    if (backend === 'pglite')
      expect(planos).toEqual([]); // PGlite sends every statement unnamed
    else expect(planos).toEqual([{ generic: 3, custom: 5 }]);
  });

  test('a statement marked planoPorValores is never prepared: planned with its values at every execution', async () => {
    for (let i = 0; i < 8; i++) {
      const [linha] = linhas(await handle.db.execute(sql`select ${i}::int + 1 as n /* marcada */ ${planoPorValores}`));
      expect(Number(linha!.n)).toBe(i + 1);
    }
    expect(await preparadas('/* marcada */')).toEqual([]);
  });
});
