// How many SQL statements a page of trâmites (or the onboarding list) costs, counted with the database's onQuery hook. The
// nested units and agencies must be joined into the page's statement, not loaded per row (N+1); the page reads only the
// columns the operation asks for; a live event answers its trâmite's columns from the row the feed read with it.
import { inspect, isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { relations } from '../src/db/relations.js';
import { registrarEventos } from '../src/tramites/eventos.js';
import { BACKENDS } from './support/backends.js';
import { assinar, type Conexao } from './support/feeds.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';
import { GESTORA_MGI, PEN_ADMIN, SPE_MGI } from './support/accounts.js';
import { waitUntil } from './support/wait.js';

const PAGE = /* GraphQL */ `
  query Pagina($first: Int!, $after: String) {
    tramites(first: $first, after: $after) {
      edges {
        node {
          id idt situacao
          unidadeRemetente { sigla orgao { sigla } }
          orgaoRemetente { sigla }
          unidadeDestinataria { sigla orgao { sigla } }
          orgaoDestinatario { sigla }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const PAGE_WITH_COUNT = PAGE.replace('edges {', 'totalCount\n      edges {');

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let token: string;
  const statements: string[] = [];
  let counting = false;

  beforeAll(async () => {
    gw = await startTestGateway(backend, {
      // The live-feed buses poll the event logs; keep their statements out of the count.
      feedPollMs: 3_600_000,
      onQuery: (sql) => {
        if (counting) statements.push(sql);
      },
    });
    token = await gw.tokenOf(PEN_ADMIN);
    counting = true;
    // Warm-up: the first request may look up the token's agency (cached afterwards).
    const warm = await gw.gql(PAGE, { first: 1 }, token);
    expect(warm.errors).toBeUndefined();
  });

  afterAll(async () => {
    await gw?.close();
  });

  async function measure(query: string, variables: Record<string, unknown>) {
    statements.length = 0;
    const res = await gw.gql(query, variables, token);
    const sql = [...statements];
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return { res, sql };
  }

  test('a page of 50 trâmites with nested units and agencies is ONE SQL statement', async () => {
    const { res, sql } = await measure(PAGE, { first: 50 });
    console.log(`[statements] ${backend}: page of 50 with nested unidade/orgao: ${sql.length} statement(s)`);
    const edges = res.data!.tramites.edges as { node: Record<string, any> }[];
    expect(edges.length).toBe(50);
    // Every nested object is really there (the joins happened, not nulls).
    for (const { node } of edges) {
      expect(node.unidadeRemetente.sigla).toEqual(expect.any(String));
      expect(node.unidadeRemetente.orgao.sigla).toBe(node.orgaoRemetente.sigla);
      expect(node.unidadeDestinataria.orgao.sigla).toBe(node.orgaoDestinatario.sigla);
    }
    expect(sql, sql.join('\n---\n')).toHaveLength(1);
  });

  test('the page selects only the columns the operation asks for (and the read rule’s), of trâmites and of units', async () => {
    const { sql } = await measure('{ tramites(first: 5) { nodes { idt unidadeRemetente { sigla } } } }', {});
    expect(sql).toHaveLength(1);
    const [pagina] = sql as [string];
    // The read rule's columns, the asked one and the keys the units are joined by.
    for (const coluna of ['idt', 'ambiente', 'situacao', 'remetente_orgao_id', 'destinatario_orgao_id', 'remetente_unidade_id'])
      expect(pagina).toContain(`"d0"."${coluna}"`);
    for (const coluna of ['nre', 'numero_processo', 'descricao', 'versao', 'criado_em', 'atualizado_em', 'situacao_alterada_em'])
      expect(pagina).not.toContain(`"d0"."${coluna}"`);
    // The joined unit's columns are the asked one (and its key), not the others, selected flat: no json per row.
    expect(pagina).toMatch(/"j\d+"\."id", "j\d+"\."sigla" as "sigla"/);
    expect(pagina).not.toContain('json_build_object');
    expect(pagina).not.toMatch(/"j\d+"\."nome"/);
  });

  test('a page’s one-to-one relations are left joins (no per-row sub-query), null where the row has no key', async () => {
    const query = `{ tramites(first: 50) { nodes { idt unidadeReceptora { sigla }
      unidadeRemetente { sigla unidadePai { sigla } orgao { sigla } }
      historico { situacao orgaoAtor { sigla } componente { hash } } } } }`;
    const { res, sql } = await measure(query, {});
    expect(sql).toHaveLength(1);
    const [pagina] = sql as [string];
    // The units are joined; only the history (a list) is a lateral sub-query, and inside it the event's agency and
    // component are joined too.
    expect(pagina.match(/left join lateral/g)).toHaveLength(1);
    expect(pagina).toMatch(/left join "estruturas" as "j\d+" on "d0"."unidade_receptora_id" = "j\d+"."id"/);
    expect(pagina).toMatch(/left join "tramite_componentes" as "j\d+" on "d1"."componente_id" = "j\d+"."id"/);
    // Each relation as the rows say: present when the key is, null when it is not (reading the same rows directly).
    const nodes = res.data!.tramites.nodes as {
      idt: string;
      unidadeReceptora: { sigla: string } | null;
      unidadeRemetente: { sigla: string; unidadePai: { sigla: string } | null; orgao: { sigla: string } };
      historico: { orgaoAtor: { sigla: string } | null; componente: { hash: string } | null }[];
    }[];
    expect(nodes).toHaveLength(50);
    const linhas = await gw.database.rows<{
      idt: string;
      receptora: string | null;
      remetente: string;
      pai: string | null;
      orgao: string;
      atores: (string | null)[];
      componentes: (string | null)[];
    }>(
      `select t.idt::text as idt, r.sigla as receptora, u.sigla as remetente, p.sigla as pai, o.sigla as orgao,
              coalesce((select json_agg(a.sigla order by e.seq) from tramite_eventos e left join estruturas a on a.id = e.ator_orgao_id
                         where e.tramite_id = t.id and e.tipo = 'SITUACAO'), '[]') as atores,
              coalesce((select json_agg(c.hash order by e.seq) from tramite_eventos e left join tramite_componentes c on c.id = e.componente_id
                         where e.tramite_id = t.id and e.tipo = 'SITUACAO'), '[]') as componentes
         from tramites t join estruturas u on u.id = t.remetente_unidade_id left join estruturas p on p.id = u.pai_id
         join estruturas o on o.id = u.orgao_id
         left join estruturas r on r.id = t.unidade_receptora_id
        where t.idt = any($1::bigint[])`,
      [nodes.map((n) => n.idt)],
    );
    const porIdt = new Map(linhas.map((l) => [l.idt, l]));
    for (const n of nodes) {
      const l = porIdt.get(n.idt)!;
      expect(n.unidadeReceptora?.sigla ?? null).toBe(l.receptora);
      expect(n.unidadeRemetente.sigla).toBe(l.remetente);
      expect(n.unidadeRemetente.unidadePai?.sigla ?? null).toBe(l.pai);
      expect(n.unidadeRemetente.orgao.sigla).toBe(l.orgao);
      expect(n.historico.map((e) => e.orgaoAtor?.sigla ?? null)).toEqual(l.atores);
      expect(n.historico.map((e) => e.componente?.hash ?? null)).toEqual(l.componentes);
    }
    // The page holds both kinds: with and without a receiving unit, events with and without an agency.
    expect(nodes.some((n) => n.unidadeReceptora === null)).toBe(true);
    expect(nodes.flatMap((n) => n.historico).some((e) => e.orgaoAtor === null)).toBe(true);
    expect(nodes.flatMap((n) => n.historico).some((e) => e.orgaoAtor !== null)).toBe(true);
  });

  test('a trâmite’s history selects only the event columns asked for', async () => {
    const [t] = await gw.database.rows<{ idt: string }>(
      "select t.idt::text as idt from tramites t where t.ambiente = 'PRODUCAO' and exists (select 1 from tramite_eventos e where e.tramite_id = t.id) limit 1",
    );
    const { res, sql } = await measure('query($idt: String!) { tramite(idt: $idt) { idt historico { situacao ocorridoEm } } }', {
      idt: t!.idt,
    });
    expect(res.data!.tramite.historico.length).toBeGreaterThan(0);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toContain('"d1"."para_situacao"');
    for (const coluna of ['ator_sujeito', 'justificativa', 'motivo', 'ator_lado']) expect(sql[0]).not.toContain(`"d1"."${coluna}"`);
  });

  test('a live event answers its trâmite’s fields from the row the feed read with it: no statement of its own', async () => {
    const campos =
      'id idt nre numeroProcesso tipo descricao situacao codigoSituacao finalizado quemDeveAgir versao criadoEm atualizadoEm situacaoAlteradaEm diasNaSituacao acoesPermitidas';
    const sub = assinar(
      gw.gateway.url,
      token,
      `subscription { e: eventosTramites { cursor situacao lado ator ocorridoEm tramite { ${campos} } } }`,
    );
    let conexao: Conexao | null = sub.conexao;
    try {
      const bus = gw.gateway.feeds.tramites;
      const [t] = await gw.database.rows<{ id: number; situacao: number; ultimo: number }>(
        "select id, situacao, (select max(seq)::int from tramite_eventos) as ultimo from tramites where ambiente = 'PRODUCAO' limit 1",
      );
      await waitUntil('the subscriber on a caught-up bus', () => bus.assinantes === 1 && bus.posicao >= t!.ultimo);
      statements.length = 0;
      await gw.database.db.transaction((tx) =>
        registrarEventos(tx, [
          {
            tramiteId: t!.id,
            deSituacao: t!.situacao,
            paraSituacao: t!.situacao,
            atorSujeito: 'teste.colunas',
            atorLado: 'REMETENTE',
            ocorridoEm: new Date(),
          },
        ]),
      );
      const [evento] = await sub.receber(1);
      expect((evento as unknown as { tramite: { idt: string; nre: string } }).tramite.nre).toEqual(expect.any(String));
      // Besides the transaction appending the event and the bus reading the log (the event with its trâmite, in one
      // statement): nothing.
      const doEvento = statements.filter(
        (q) => !/^set local |insert into "tramite_eventos"|log_marca|from "tramite_eventos" inner join "tramites"|pg_notify/i.test(q),
      );
      expect(doEvento, doEvento.join('\n---\n')).toEqual([]);
    } finally {
      await conexao?.encerrar();
      conexao = null;
    }
  });

  test('the next page (after a cursor) is still one statement', async () => {
    const first = await measure(PAGE, { first: 50 });
    const { res, sql } = await measure(PAGE, { first: 50, after: first.res.data!.tramites.pageInfo.endCursor });
    console.log(`[statements] ${backend}: second page of 50: ${sql.length} statement(s)`);
    expect(res.data!.tramites.edges.length).toBeGreaterThan(0);
    expect(sql, sql.join('\n---\n')).toHaveLength(1);
  });

  test('a page’s statement text is built once per shape and filter text: pages after other cursors and other viewers bind their own values', async () => {
    // drizzle-orm's relational query builder (patched) keeps each statement's text by its shape and filter's text.
    const textos = (gw.database.db as unknown as { dialect: { relationalTexts: Map<string, { sql: string } | null> } }).dialect
      .relationalTexts;
    textos.clear();
    const gestor = await gw.tokenOf(GESTORA_MGI);
    const paginas: { sql: string; ids: string[] }[] = [];
    let after: string | null = null;
    for (let pagina = 0; pagina < 3; pagina++) {
      const { res, sql } = await measure(PAGE, { first: 10, after });
      paginas.push({ sql: sql[0]!, ids: res.data!.tramites.edges.map((e: { node: { id: string } }) => e.node.id) });
      after = res.data!.tramites.pageInfo.endCursor;
    }
    statements.length = 0;
    const doGestor = await gw.gql(PAGE, { first: 10 }, gestor);
    expect(doGestor.errors).toBeUndefined();
    // (its token's first request also looks its agency up)
    const paginaDoGestor = statements.find((q) => q.includes('from "tramites" as "d0"'))!;
    // Three pages, three sets of rows, and the same text for the two pages after a cursor: one text kept for the first
    // page, one for the pages after a cursor, one for the gestor's page (the read rule's filter), none holding a value.
    expect(new Set(paginas.flatMap((p) => p.ids)).size).toBe(30);
    expect(paginas[2]!.sql).toBe(paginas[1]!.sql);
    expect(paginas[1]!.sql).not.toBe(paginas[0]!.sql);
    expect(paginaDoGestor).not.toBe(paginas[0]!.sql);
    const dasPaginas = [...textos.values()].flatMap((t) => (t?.sql.includes('from "tramites" as "d0"') ? [t.sql] : []));
    expect(dasPaginas.sort()).toEqual([paginas[0]!.sql, paginas[1]!.sql, paginaDoGestor].sort());
    for (const sql of dasPaginas) expect(sql).not.toMatch(/'PRODUCAO'|"id" < \d/);
  });

  test('with totalCount selected too, at most two statements', async () => {
    const { res, sql } = await measure(PAGE_WITH_COUNT, { first: 50 });
    console.log(`[statements] ${backend}: page of 50 + totalCount: ${sql.length} statement(s)`);
    const total = (await gw.database.rows<{ n: number }>("select count(*)::int n from tramites where ambiente = 'PRODUCAO'"))[0]!.n;
    expect(res.data!.tramites.totalCount).toBe(total);
    expect(res.data!.tramites.edges.length).toBe(50);
    expect(sql.length, sql.join('\n---\n')).toBeLessThanOrEqual(2);
  });

  test('a panel, both sides over a period with partial end days, is ONE statement', async () => {
    const desde = new Date(Date.now() - 40 * 86_400_000 - 5 * 3_600_000).toISOString();
    const ate = new Date(Date.now() - 2 * 86_400_000 - 7 * 3_600_000).toISOString();
    const { res, sql } = await measure(
      'query($desde: DateTime, $ate: DateTime) { painel(desde: $desde, ate: $ate) { comoOrigem { total } comoDestino { total } } }',
      { desde, ate },
    );
    console.log(`[statements] ${backend}: painel over a period: ${sql.length} statement(s)`);
    const [linha] = await gw.database.rows<{ n: number }>(
      "select count(*)::int n from tramites where ambiente = 'PRODUCAO' and criado_em >= $1 and criado_em <= $2",
      [desde, ate],
    );
    expect(res.data!.painel.comoOrigem.total).toBe(linha!.n);
    expect(sql.length, sql.join('\n---\n')).toBe(1);
  });

  test('a gestor’s page costs the same once its agency is cached', async () => {
    const gestor = await gw.tokenOf(GESTORA_MGI);
    await gw.gql(PAGE, { first: 1 }, gestor); // warm-up: the agency lookup
    statements.length = 0;
    const res = await gw.gql(PAGE, { first: 50 }, gestor);
    const sql = [...statements];
    console.log(`[statements] ${backend}: gestor page of 50: ${sql.length} statement(s)`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.tramites.edges.length).toBeGreaterThan(0);
    expect(sql, sql.join('\n---\n')).toHaveLength(1);
  });

  test('a page of pendencias with nested units and agencies is ONE statement, the next page too', async () => {
    const spe = await gw.tokenOf(SPE_MGI);
    const query = `query($after: String) { pendencias(first: 5, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id acaoEsperada ondeEstaOProcesso unidadeRemetente { sigla orgao { sigla } } unidadeDestinataria { sigla orgao { sigla } } }
    } }`;
    await gw.gql(query, {}, spe); // warm-up: the agency lookup
    let after: string | null = null;
    for (let page = 0; page < 2; page++) {
      statements.length = 0;
      const res: GraphQLResponse = await gw.gql(query, { after }, spe);
      const sql = [...statements];
      console.log(`[statements] ${backend}: pendencias page ${page + 1}: ${sql.length} statement(s)`);
      expect(res.errors).toBeUndefined();
      const nodes = res.data!.pendencias.nodes as { acaoEsperada: string | null; unidadeRemetente: { orgao: { sigla: string } } }[];
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) expect(n.acaoEsperada).toEqual(expect.any(String));
      expect(sql, sql.join('\n---\n')).toHaveLength(1);
      if (!res.data!.pendencias.pageInfo.hasNextPage) break;
      after = res.data!.pendencias.pageInfo.endCursor;
    }
  });

  test('the PEN queue: a page of onboardings with its agency and whole history (each event with its agency) is ONE statement', async () => {
    const query =
      'query($after: String) { onboardings(first: 100, after: $after) { nodes { etapa orgao { sigla } historico { cursor etapa orgao { sigla } } } } }';
    const { res, sql } = await measure(query, {});
    console.log(`[statements] ${backend}: a queue page with orgao and historico: ${sql.length} statement(s)`);
    const onboardings = res.data!.onboardings.nodes as {
      orgao: { sigla: string };
      historico: { cursor: string; orgao: { sigla: string } }[];
    }[];
    const [contagem] = await gw.database.rows<{ onboardings: number; eventos: number }>(
      'select (select count(*)::int from onboardings) as onboardings, (select count(*)::int from onboarding_eventos) as eventos',
    );
    expect(onboardings).toHaveLength(contagem!.onboardings);
    expect(onboardings.flatMap((o) => o.historico)).toHaveLength(contagem!.eventos);
    // The nested objects are really there: each event is its onboarding's agency's.
    for (const o of onboardings) for (const e of o.historico) expect(e.orgao.sigla).toBe(o.orgao.sigla);
    expect(sql, sql.join('\n---\n')).toHaveLength(1);
  });

  test('the PEN queue page by page: each page one statement, totalCount one more, whatever the page size', async () => {
    const query = `query($after: String, $first: Int!) { onboardings(first: $first, after: $after, aguardandoPen: false) {
      totalCount nodes { etapa atualizadoEm orgao { sigla } } pageInfo { hasNextPage endCursor } } }`;
    const vistos: string[] = [];
    let after: string | null = null;
    for (let pagina = 0; pagina < 20; pagina++) {
      const { res, sql } = await measure(query, { first: 3, after });
      const conexao = res.data!.onboardings;
      vistos.push(...conexao.nodes.map((n: { orgao: { sigla: string } }) => n.orgao.sigla));
      // The page and its count: two statements, none per row.
      expect(sql, sql.join('\n---\n')).toHaveLength(2);
      if (!conexao.pageInfo.hasNextPage) {
        expect(vistos).toHaveLength(conexao.totalCount);
        break;
      }
      after = conexao.pageInfo.endCursor;
    }
    expect(new Set(vistos).size).toBe(vistos.length);
    expect(vistos.length).toBeGreaterThan(3);
  });

  test('a joined one relation read as flat columns maps every value as its json did: same values, same types', async () => {
    // The drizzle-orm patch selects a page's joined `one` relations as flat columns (decoded by the driver like the
    // page's own) instead of a json object per row (decoded by the columns' json mappers). Every relation of every
    // table, with its target's `one` relations nested (flat under a joined one, json inside a lateral `many`), read
    // both ways from the demo data: the rows must be equal, Date for Date, bigint for bigint, decoded json for json.
    const { db } = gw.database;
    const dialect = (db as unknown as { dialect: { flatJoins: boolean; relationalTexts: Map<string, unknown> } }).dialect;
    const query = db.query as unknown as Record<string, { findMany(config: object): Promise<unknown[]> & { toSQL(): { sql: string } } }>;
    const comparadas: string[] = [];
    let planas = 0;
    let presentes = 0;
    const ler = async (tabela: string, config: object, flat: boolean) => {
      dialect.flatJoins = flat;
      dialect.relationalTexts.clear();
      const consulta = query[tabela]!.findMany(config);
      const texto = consulta.toSQL().sql;
      const linhas = (await consulta).map((linha) => ({ chave: inspect(linha, { depth: null }), linha }));
      return { texto, linhas: linhas.sort((a, b) => (a.chave < b.chave ? -1 : a.chave > b.chave ? 1 : 0)).map((l) => l.linha) };
    };
    try {
      for (const [tabela, { relations: deTabela }] of Object.entries(relations)) {
        for (const [chave, relacao] of Object.entries(deTabela)) {
          const doAlvo = relations[relacao.targetTableName as keyof typeof relations].relations;
          const aninhadas = Object.fromEntries(
            Object.entries(doAlvo)
              .filter(([, r]) => r.relationType === 'one')
              .map(([k]) => [k, true]),
          );
          const config = { limit: 100, with: { [chave]: { with: aninhadas } } };
          const json = await ler(tabela, config, false);
          const plana = await ler(tabela, config, true);
          if (plana.texto !== json.texto) planas++;
          if (relacao.relationType === 'one')
            presentes += plana.linhas.filter((l) => (l as Record<string, unknown>)[chave] !== null).length;
          expect(
            isDeepStrictEqual(plana.linhas, json.linhas),
            `${tabela}.${chave}: ${inspect(plana.linhas[0], { depth: null })} vs ${inspect(json.linhas[0], { depth: null })}`,
          ).toBe(true);
          comparadas.push(`${tabela}.${chave}`);
        }
      }
    } finally {
      dialect.flatJoins = true;
      dialect.relationalTexts.clear();
    }
    console.log(`[statements] ${backend}: ${comparadas.length} relations compared, ${planas} read flat, ${presentes} present values`);
    expect(planas).toBeGreaterThan(10);
    expect(presentes).toBeGreaterThan(100);
  });
});
