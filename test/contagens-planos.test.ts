// The counts' statements as the gateway sends them (prepared on PostgreSQL) keep a generic plan: with realistic
// statistics (year rows are few, day rows many) a bound `escala` made PostgreSQL plan them with their values at every
// run. PGlite sends every statement unnamed, so there it only answers the same.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { contarPainel } from '../src/tramites/consultas.js';
import { contarTramites } from '../src/tramites/contagens.js';
import { BACKENDS, type FreshDatabase, freshDatabase } from './support/backends.js';

describe.each(BACKENDS)('%s', (backend) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  const admin: Viewer = { sujeito: 'planos.pen', orgaoId: null, papeis: new Set(['PEN_ADMIN']) };

  beforeAll(async () => {
    fresh = await freshDatabase(backend);
    // One connection, so the session's prepared statements are the ones the test ran.
    handle = await createDatabase(fresh.options.kind === 'postgres' ? { ...fresh.options, poolSize: 1 } : fresh.options);
    // The counters' shape at scale: per agency, side and status, a row per day of 400 days, per month, per year.
    await handle.rows(`
      insert into tramite_contagens (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
      select 'PRODUCAO', e.escala, l.lado, o, e.inicio, s, 1
        from generate_series(1, 40) o cross join (values ('O'), ('D'), ('Q')) l(lado) cross join generate_series(1, 10) s
       cross join (select distinct 'D' as escala, d::date as inicio from generate_series(date '2025-01-01', date '2026-02-04', interval '1 day') d
                   union all select distinct 'M', date_trunc('month', d)::date from generate_series(date '2025-01-01', date '2026-02-04', interval '1 day') d
                   union all select 'A', date '2025-01-01' union all select 'A', date '2026-01-01') e`);
    await handle.rows('analyze tramite_contagens');
  });

  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  test('the all-time panel and totalCount reuse a generic plan after five runs', async () => {
    const agora = new Date('2026-02-04T12:00:00Z');
    for (let i = 0; i < 8; i++) {
      const painel = await contarPainel(
        handle.db,
        admin,
        { ambiente: 'PRODUCAO', orgaoId: 7, sistemaId: null, desde: null, ate: null },
        agora,
      );
      // Two years of one row per status, on each side.
      expect([painel.comoOrigem.total, painel.comoDestino.total]).toEqual([20, 20]);
      expect(await contarTramites(handle.db, admin, { ambiente: 'PRODUCAO' }, agora)).toBe(40 * 20);
    }
    const planos = (await handle.db.execute(
      sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
           where strpos(statement, 'tramite_contagens') > 0 and strpos(statement, 'pg_prepared_statements') = 0 order by statement`,
    )) as unknown;
    const linhas = ((planos as { rows?: unknown[] }).rows ?? (planos as unknown[])) as { generic: number; custom: number }[];
    if (backend === 'pglite') expect(linhas).toEqual([]);
    else
      expect(linhas).toEqual([
        { generic: 3, custom: 5 },
        { generic: 3, custom: 5 },
      ]);
  });
});
