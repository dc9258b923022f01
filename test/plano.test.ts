// How statements are planned: a prepared statement reuses a generic plan once PostgreSQL finds it as cheap as the
// custom ones (plan_cache_mode auto), while a statement marked `planoPorValores` goes unnamed and is planned with its
// values at every execution (the structure search). Both backends answer both kinds the same. A page of
// trâmites carries its page size as a literal (`limit 51`), so each page size is one prepared statement whose generic
// plan PostgreSQL reuses, whoever asks and from whichever cursor.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type DatabaseHandle, planoPorValores } from '../src/db/client.js';
import { GESTORA_MGI, PEN_ADMIN } from './support/accounts.js';
import { BACKENDS, type FreshDatabase, freshDatabase } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

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

// The read workload W1 (bench/consultas-leituras.ts): a page with both units and their agencies, and the next page.
const W1 = `query W($first: Int!, $after: String) { tramites(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { id idt nre numeroProcesso situacao criadoEm unidadeRemetente { sigla nome orgao { sigla nome } }
    unidadeDestinataria { sigla nome orgao { sigla nome } } } } }`;

describe.each(BACKENDS)('%s: a page of trâmites', (backend) => {
  let gw: TestGateway;

  beforeAll(async () => {
    // One connection, so every page runs on the session whose prepared statements the test reads; the live-feed bus
    // polls far beyond the run.
    gw = await startTestGateway(backend, { poolSize: 1, feedPollMs: 3_600_000 });
  });

  afterAll(async () => {
    await gw?.close();
  });

  const linhas = (result: unknown) => ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];
  /** The session's prepared pages of trâmites: their text, how many parameters and how each execution was planned. */
  const paginasPreparadas = async () =>
    linhas(
      await gw.database.db.execute(
        sql`select statement, cardinality(parameter_types)::int as parametros, generic_plans::int as generic, custom_plans::int as custom
              from pg_prepared_statements where statement like 'select %from "tramites" as "d0"%' order by prepare_time`,
      ),
    ) as { statement: string; parametros: number; generic: number; custom: number }[];
  const limpar = () => gw.database.db.execute(sql`deallocate all`);

  /** Page 1 and the page after it, `vezes` times each, as `sujeito` with `first` rows a page. */
  async function paginas(sujeito: string, first: number, vezes: number) {
    const token = await gw.tokenOf(sujeito);
    await gw.ok(W1, { first: 1 }, token); // the token's agency lookup, cached afterwards
    await limpar(); // postgres.js prepares again what the server forgot
    const primeira = await gw.ok(W1, { first }, token);
    const after = primeira.tramites.pageInfo.endCursor as string;
    expect(primeira.tramites.nodes).toHaveLength(first);
    for (let i = 1; i < vezes; i++) expect((await gw.ok(W1, { first }, token)).tramites).toEqual(primeira.tramites);
    const segunda = await gw.ok(W1, { first, after }, token);
    expect(segunda.tramites.nodes.length).toBeGreaterThan(0);
    expect(segunda.tramites.nodes[0].id).not.toBe(primeira.tramites.nodes[0].id);
    for (let i = 1; i < vezes; i++) expect((await gw.ok(W1, { first, after }, token)).tramites).toEqual(segunda.tramites);
    return paginasPreparadas();
  }

  for (const sujeito of [PEN_ADMIN, GESTORA_MGI])
    test(`W1 as ${sujeito}: each page one prepared statement with its page size as a literal, reusing a generic plan`, async () => {
      const preparadas = await paginas(sujeito, 50, 8);
      if (backend === 'pglite') {
        expect(preparadas).toEqual([]); // PGlite sends every statement unnamed
        return;
      }
      // Page 1 and page 2 (the cursor's comparison added): two statements, `limit 51` written in each, the viewer's
      // scope and the cursor as parameters; five custom plans each, then the generic one at every execution.
      expect(preparadas.map(({ generic, custom }) => ({ generic, custom }))).toEqual([
        { generic: 3, custom: 5 },
        { generic: 3, custom: 5 },
      ]);
      for (const { statement, parametros } of preparadas) {
        expect(statement).toMatch(/ limit 51$/);
        expect(parametros).toBeGreaterThan(0);
      }
      expect(preparadas[1]!.parametros).toBeGreaterThan(preparadas[0]!.parametros);
    });

  test('another page size is another statement, the same size the same one: one per size a client asks for', async () => {
    const token = await gw.tokenOf(PEN_ADMIN);
    await limpar();
    for (const first of [10, 20, 10, 20, 10]) expect((await gw.ok(W1, { first }, token)).tramites.nodes).toHaveLength(first);
    const preparadas = await paginasPreparadas();
    if (backend === 'pglite') expect(preparadas).toEqual([]);
    else
      expect(preparadas.map((p) => [p.statement.match(/ limit (\d+)$/)?.[1], p.generic + p.custom])).toEqual([
        ['11', 3],
        ['21', 2],
      ]);
  });
});
