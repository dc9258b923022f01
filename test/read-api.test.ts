// The read API end to end through the gateway's HTTP handler (in process: Yoga's fetch), on the demo data. Every expectation comes from SQL on the
// same database (never from numbers the seed could change).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { SITUACAO_INFO, SITUACOES, type Situacao } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/gateway.js';
import { gid } from './support/ids.js';
import { demoAccount, GESTORA_MGI, PEN_ADMIN } from './support/accounts.js';
import { habilitada } from './support/configuracao.js';

const DIA = 86_400_000;
// A fixed clock: the seed, `diasNaSituacao` and `paradoHaMaisDeDias` all see the same "now".
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
/** Situações em andamento (não finais) per docs/domain.md: everything but 6, 7, 9 and 10. */
const EM_ANDAMENTO_SQL = 'situacao not in (6, 7, 9, 10)';

function dbId(globalId: string, typename: string): number {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  expect(decoded.startsWith(`${typename}:`), decoded).toBe(true);
  return Number(decoded.slice(typename.length + 1));
}
const chave = (s: number) => SITUACAO_INFO[s as Situacao].chave;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data as T;
}

const MGI = DEMO_ACCOUNTS.find((a) => a.descricao.includes('Gestora de protocolo do MGI'))!.orgao!;

const TRAMITES_PAGE = /* GraphQL */ `
  query Pagina($first: Int, $after: String, $last: Int, $before: String, $filtro: FiltroTramites, $ordem: OrdemTramites) {
    tramites(first: $first, after: $after, last: $last, before: $before, filtro: $filtro, ordem: $ordem) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id idt situacaoAlteradaEm } }
    }
  }
`;

interface PageNode {
  id: string;
  idt: string;
  situacaoAlteradaEm: string;
}
interface Page {
  tramites: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: PageNode }[];
  };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestApp;
  let admin: string;
  let anaMgi: string;
  let mgiId: number;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const count = async (sql: string, params: unknown[] = []) => (await rows<{ n: number }>(sql, params))[0]!.n;
  const ids = async (sql: string, params: unknown[] = []) => sorted((await rows<{ id: number }>(sql, params)).map((r) => r.id));

  /** Every trâmite of a listing, following `endCursor`; bounded by the expected total. */
  async function walkForward(
    token: string,
    vars: Record<string, unknown>,
    pageSize: number,
  ): Promise<{ nodes: PageNode[]; totalCount: number; pages: number }> {
    const first = ok(await gw.gql<Page>(TRAMITES_PAGE, { ...vars, first: pageSize }, token)).tramites;
    const maxPages = Math.ceil(first.totalCount / pageSize) + 2;
    const nodes = first.edges.map((e) => e.node);
    let page = first;
    let pages = 1;
    while (page.pageInfo.hasNextPage) {
      if (++pages > maxPages) throw new Error(`more than ${maxPages} pages for ${first.totalCount} items`);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      page = ok(await gw.gql<Page>(TRAMITES_PAGE, { ...vars, first: pageSize, after: page.pageInfo.endCursor }, token)).tramites;
      expect(page.edges.length).toBeLessThanOrEqual(pageSize);
      nodes.push(...page.edges.map((e) => e.node));
    }
    return { nodes, totalCount: first.totalCount, pages };
  }

  async function walkBackward(token: string, vars: Record<string, unknown>, pageSize: number): Promise<PageNode[]> {
    let page = ok(await gw.gql<Page>(TRAMITES_PAGE, { ...vars, last: pageSize }, token)).tramites;
    const maxPages = Math.ceil(page.totalCount / pageSize) + 2;
    let nodes = page.edges.map((e) => e.node);
    let pages = 1;
    while (page.pageInfo.hasPreviousPage) {
      if (++pages > maxPages) throw new Error(`more than ${maxPages} pages going backwards`);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
      page = ok(await gw.gql<Page>(TRAMITES_PAGE, { ...vars, last: pageSize, before: page.pageInfo.startCursor }, token)).tramites;
      expect(page.edges.length).toBeLessThanOrEqual(pageSize);
      nodes = [...page.edges.map((e) => e.node), ...nodes];
    }
    return nodes;
  }

  /** The ids the listing returns for a filter (as PEN_ADMIN unless told), and its totalCount. */
  async function listed(filtro: Record<string, unknown>, token = admin) {
    const { nodes, totalCount } = await walkForward(token, { filtro }, 100);
    return { ids: sorted(nodes.map((n) => dbId(n.id, 'Tramite'))), totalCount };
  }

  beforeAll(async () => {
    gw = await startTestApp(backend, { clock: () => NOW });
    admin = await gw.tokenOf(PEN_ADMIN);
    anaMgi = await gw.tokenOf(GESTORA_MGI);
    mgiId = (
      await rows<{ id: number }>('select id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null', [
        MGI.repositorio,
        MGI.estrutura,
      ])
    )[0]!.id;
  });

  afterAll(async () => {
    await gw?.close();
  });

  describe('orgaos', () => {
    const ORGAOS_PAGE = /* GraphQL */ `
      query($first: Int, $after: String, $busca: String) {
        orgaos(first: $first, after: $after, busca: $busca) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id sigla nome } }
        }
      }
    `;
    type OrgaosPage = {
      orgaos: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string; sigla: string; nome: string } }[];
      };
    };

    async function walkOrgaos(busca?: string) {
      const pageSize = 3;
      let page = ok(await gw.gql<OrgaosPage>(ORGAOS_PAGE, { first: pageSize, busca }, admin)).orgaos;
      const totalCount = page.totalCount;
      const maxPages = Math.ceil(totalCount / pageSize) + 2;
      const nodes = page.edges.map((e) => e.node);
      let pages = 1;
      while (page.pageInfo.hasNextPage) {
        if (++pages > maxPages) throw new Error('too many pages of orgaos');
        page = ok(await gw.gql<OrgaosPage>(ORGAOS_PAGE, { first: pageSize, after: page.pageInfo.endCursor, busca }, admin)).orgaos;
        nodes.push(...page.edges.map((e) => e.node));
      }
      return { totalCount, nodes, pages };
    }

    test('totalCount equals the number of agencies (roots) in SQL', async () => {
      const res = ok(await gw.gql<OrgaosPage>(ORGAOS_PAGE, { first: 1 }, admin));
      expect(res.orgaos.totalCount).toBe(await count('select count(*)::int n from estruturas where pai_id is null'));
    });

    test('walking every page with first/after visits each agency exactly once, ordered by sigla', async () => {
      const { totalCount, nodes, pages } = await walkOrgaos();
      const expected = await ids('select id from estruturas where pai_id is null');
      expect(pages).toBeGreaterThan(1);
      expect(nodes.length).toBe(totalCount);
      const visited = nodes.map((n) => dbId(n.id, 'Orgao'));
      expect(new Set(visited).size).toBe(visited.length);
      expect(sorted(visited)).toEqual(expected);
      const siglas = nodes.map((n) => n.sigla);
      expect(siglas).toEqual([...siglas].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    test('busca filters by sigla or name, case-insensitively, and its count matches SQL', async () => {
      for (const busca of ['minist', 'TRIBUNAL', 'mgi', 'zzz-nada']) {
        const { totalCount, nodes } = await walkOrgaos(busca);
        const expected = await ids(
          `select id from estruturas where pai_id is null and (sigla ilike '%' || $1 || '%' or nome ilike '%' || $1 || '%')`,
          [busca],
        );
        expect(totalCount, busca).toBe(expected.length);
        expect(sorted(nodes.map((n) => dbId(n.id, 'Orgao'))), busca).toEqual(expected);
      }
      // LIKE wildcards in `busca` are literal characters, not patterns.
      const { totalCount } = await walkOrgaos('%');
      expect(totalCount).toBe(
        await count(`select count(*)::int n from estruturas where pai_id is null and (strpos(sigla, '%') > 0 or strpos(nome, '%') > 0)`),
      );
    });
  });

  describe('orgao', () => {
    const ORGAO_TREE = /* GraphQL */ `
      fragment Arvore on Orgao {
        id sigla nome numeroIdentificacao repositorio { codigo nome }
        unidades { id sigla subunidades { id sigla subunidades { id sigla subunidades { id sigla } } } }
        todasUnidades { id sigla habilitadaEnvio habilitadaRecebimento }
        recebimento: todasUnidades(habilitadasPara: RECEBIMENTO) { id sigla habilitadaRecebimento }
        envio: todasUnidades(habilitadasPara: ENVIO) { id sigla habilitadaEnvio }
      }
      query($id: ID, $r: Int, $n: Int) { orgao(id: $id, repositorio: $r, numeroIdentificacao: $n) { ...Arvore } }
    `;
    type Unidade = { id: string; sigla: string; subunidades?: Unidade[]; habilitadaEnvio?: boolean; habilitadaRecebimento?: boolean };
    type OrgaoTree = {
      orgao: {
        id: string;
        sigla: string;
        nome: string;
        numeroIdentificacao: number;
        repositorio: { codigo: number; nome: string };
        unidades: Unidade[];
        todasUnidades: Unidade[];
        recebimento: Unidade[];
        envio: Unidade[];
      } | null;
    };
    const flatten = (us: Unidade[]): Unidade[] => us.flatMap((x) => [x, ...flatten(x.subunidades ?? [])]);

    test('by (repositorio, numeroIdentificacao) and by id give the same agency, whose tree holds DISIS', async () => {
      const byNumber = ok(await gw.gql<OrgaoTree>(ORGAO_TREE, { r: MGI.repositorio, n: MGI.estrutura }, anaMgi)).orgao!;
      expect(dbId(byNumber.id, 'Orgao')).toBe(mgiId);
      const [row] = await rows<{ sigla: string; nome: string }>('select sigla, nome from estruturas where id = $1', [mgiId]);
      expect(byNumber).toMatchObject({
        sigla: row!.sigla,
        nome: row!.nome,
        numeroIdentificacao: MGI.estrutura,
        repositorio: { codigo: MGI.repositorio },
      });

      const byId = ok(await gw.gql<OrgaoTree>(ORGAO_TREE, { id: byNumber.id }, anaMgi)).orgao!;
      expect(byId).toEqual(byNumber);

      const tree = flatten(byNumber.unidades);
      expect(tree.map((x) => x.sigla)).toContain('DISIS');
      // The tree below the root is every unit of the agency but the root itself.
      const expected = await ids('select id from estruturas where orgao_id = $1 and id <> $1', [mgiId]);
      expect(sorted(tree.map((x) => dbId(x.id, 'UnidadeAdministrativa')))).toEqual(expected);
    });

    test('todasUnidades lists every unit (root included); habilitadasPara keeps only enabled ones', async () => {
      const o = ok(await gw.gql<OrgaoTree>(ORGAO_TREE, { r: MGI.repositorio, n: MGI.estrutura }, anaMgi)).orgao!;
      const unitIds = (us: Unidade[]) => sorted(us.map((x) => dbId(x.id, 'UnidadeAdministrativa')));
      expect(unitIds(o.todasUnidades)).toEqual(await ids('select id from estruturas where orgao_id = $1', [mgiId]));
      expect(o.todasUnidades.map((x) => x.sigla)).toContain('DISIS');

      expect(o.recebimento.length).toBeGreaterThan(0);
      expect(o.recebimento.every((x) => x.habilitadaRecebimento === true)).toBe(true);
      expect(unitIds(o.recebimento)).toEqual(
        await ids(`select id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'recebimento')}`, [mgiId]),
      );
      expect(o.recebimento.length).toBeLessThan(o.todasUnidades.length);

      expect(o.envio.every((x) => x.habilitadaEnvio === true)).toBe(true);
      expect(unitIds(o.envio)).toEqual(
        await ids(`select id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'envio')}`, [mgiId]),
      );
    });

    test('an agency of another repository is found by its own pair', async () => {
      const [outro] = await rows<{ id: number; repositorio_id: number; numero_identificacao: number }>(
        'select id, repositorio_id, numero_identificacao from estruturas where pai_id is null and repositorio_id <> $1 order by id limit 1',
        [MGI.repositorio],
      );
      const o = ok(await gw.gql<OrgaoTree>(ORGAO_TREE, { r: outro!.repositorio_id, n: outro!.numero_identificacao }, admin)).orgao!;
      expect(dbId(o.id, 'Orgao')).toBe(outro!.id);
      expect(o.repositorio.codigo).toBe(outro!.repositorio_id);
    });
  });

  describe('tramite and node', () => {
    const TRAMITE = /* GraphQL */ `
      query($id: ID, $idt: String) {
        tramite(id: $id, idt: $idt) {
          id idt nre numeroProcesso codigoSituacao situacao criadoEm situacaoAlteradaEm versao
          orgaoRemetente { id } orgaoDestinatario { id } unidadeRemetente { id } unidadeDestinataria { id }
        }
      }
    `;
    type Row = {
      id: number;
      idt: string;
      nre: string;
      numero_processo: string;
      situacao: number;
      versao: number;
      criado_em: number;
      remetente_orgao_id: number;
      destinatario_orgao_id: number;
      remetente_unidade_id: number;
      destinatario_unidade_id: number;
    };

    test('by id and by idt return the same trâmite, matching its row', async () => {
      const sample = await rows<Row>(
        `select id::int, idt::text, nre, numero_processo, situacao, versao, (extract(epoch from criado_em) * 1000)::float8 criado_em,
                remetente_orgao_id, destinatario_orgao_id, remetente_unidade_id, destinatario_unidade_id
           from (select * from tramites where ambiente = 'PRODUCAO') tramites order by id desc limit 3`,
      );
      expect(sample.length).toBe(3);
      for (const row of sample) {
        const byId = ok(await gw.gql(TRAMITE, { id: gid('Tramite', row.id) }, admin)).tramite;
        const byIdt = ok(await gw.gql(TRAMITE, { idt: row.idt }, admin)).tramite;
        expect(byIdt).toEqual(byId);
        expect(byId).toMatchObject({
          id: gid('Tramite', row.id),
          idt: row.idt,
          nre: row.nre,
          numeroProcesso: row.numero_processo,
          codigoSituacao: row.situacao,
          situacao: chave(row.situacao),
          versao: row.versao,
          orgaoRemetente: { id: gid('Orgao', row.remetente_orgao_id) },
          orgaoDestinatario: { id: gid('Orgao', row.destinatario_orgao_id) },
          unidadeRemetente: { id: gid('UnidadeAdministrativa', row.remetente_unidade_id) },
          unidadeDestinataria: { id: gid('UnidadeAdministrativa', row.destinatario_unidade_id) },
        });
        expect(new Date(byId.criadoEm).getTime()).toBe(row.criado_em);
      }
    });

    test('node(id:) resolves Tramite, Orgao and UnidadeAdministrativa', async () => {
      const [t] = await rows<{ id: number; idt: string }>(
        "select id::int, idt::text from (select * from tramites where ambiente = 'PRODUCAO') tramites order by id limit 1",
      );
      const [u] = await rows<{ id: number; sigla: string; orgao: string }>(
        `select u.id, u.sigla, o.sigla orgao from estruturas u join estruturas o on o.id = u.orgao_id where u.sigla = 'DISIS'`,
      );
      const data = ok(
        await gw.gql(
          `query($t: ID!, $o: ID!, $u: ID!) {
            t: node(id: $t) { __typename id ... on Tramite { idt } }
            o: node(id: $o) { __typename id ... on Orgao { sigla numeroIdentificacao } }
            u: node(id: $u) { __typename id ... on UnidadeAdministrativa { sigla orgao { id sigla } } }
          }`,
          { t: gid('Tramite', t!.id), o: gid('Orgao', mgiId), u: gid('UnidadeAdministrativa', u!.id) },
          admin,
        ),
      );
      expect(data.t).toEqual({ __typename: 'Tramite', id: gid('Tramite', t!.id), idt: t!.idt });
      expect(data.o).toEqual({ __typename: 'Orgao', id: gid('Orgao', mgiId), sigla: 'MGI', numeroIdentificacao: MGI.estrutura });
      expect(data.u).toEqual({
        __typename: 'UnidadeAdministrativa',
        id: gid('UnidadeAdministrativa', u!.id),
        sigla: 'DISIS',
        orgao: { id: gid('Orgao', mgiId), sigla: u!.orgao },
      });
    });

    test('historico is in seq order, chains each situação to the next and ends in the current situação', async () => {
      const q = /* GraphQL */ `
        query($first: Int, $after: String) {
          tramites(first: $first, after: $after) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { id situacao codigoSituacao historico { cursor situacaoAnterior situacao ocorridoEm } }
          }
        }
      `;
      const eventos = new Map(
        (
          await rows<{ id: number; n: number }>(
            `select tramite_id::int id, count(*)::int n from tramite_eventos where tipo = 'SITUACAO' group by tramite_id`,
          )
        ).map((r) => [r.id, r.n]),
      );
      let after: string | null = null;
      let seen = 0;
      const total = await count("select count(*)::int n from (select * from tramites where ambiente = 'PRODUCAO') tramites");
      for (let pages = 0; pages < Math.ceil(total / 100) + 2; pages++) {
        const page: any = ok(await gw.gql(q, { first: 100, after }, admin)).tramites;
        for (const t of page.nodes) {
          const h = t.historico as { cursor: string; situacaoAnterior: string | null; situacao: string; ocorridoEm: string }[];
          expect(h.length).toBe(eventos.get(dbId(t.id, 'Tramite')));
          expect(h[0]!.situacaoAnterior).toBeNull();
          for (let i = 1; i < h.length; i++) {
            expect(Number(h[i]!.cursor)).toBeGreaterThan(Number(h[i - 1]!.cursor));
            expect(h[i]!.situacaoAnterior).toBe(h[i - 1]!.situacao);
            expect(new Date(h[i]!.ocorridoEm).getTime()).toBeGreaterThanOrEqual(new Date(h[i - 1]!.ocorridoEm).getTime());
          }
          expect(h.at(-1)!.situacao).toBe(t.situacao);
          // codigoSituacao and the enum name are the same status.
          expect(chave(t.codigoSituacao)).toBe(t.situacao);
          seen++;
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toBe(total);
    });
  });

  describe('tramites filters, each against an independent SQL query', () => {
    test('situacoes', async () => {
      for (const codigos of [[8, 9], [1], [6, 7, 10]]) {
        const got = await listed({ situacoes: codigos.map(chave) });
        const expected = await ids(
          "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao = any($1::int[])",
          [codigos],
        );
        expect(got.totalCount, String(codigos)).toBe(expected.length);
        expect(got.ids, String(codigos)).toEqual(expected);
      }
    });

    test('orgao with papel ORIGEM, DESTINO and QUALQUER (the default)', async () => {
      const orgao = gid('Orgao', mgiId);
      const origem = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where remetente_orgao_id = $1",
        [mgiId],
      );
      // As destination a refused trâmite (8, 9) counts nowhere: after a refusal only the sender sees it (docs/domain.md §3, §9).
      const destino = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where destinatario_orgao_id = $1 and situacao not in (8, 9)",
        [mgiId],
      );
      const qualquer = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where remetente_orgao_id = $1 or (destinatario_orgao_id = $1 and situacao not in (8, 9))",
        [mgiId],
      );
      expect(origem.length).toBeGreaterThan(0);
      expect(destino.length).toBeGreaterThan(0);
      expect((await listed({ orgao, papel: 'ORIGEM' })).ids).toEqual(origem);
      expect((await listed({ orgao, papel: 'DESTINO' })).ids).toEqual(destino);
      const q = await listed({ orgao, papel: 'QUALQUER' });
      expect(q.ids).toEqual(qualquer);
      expect(q.totalCount).toBe(qualquer.length);
      expect((await listed({ orgao })).ids).toEqual(qualquer);
    });

    test('unidade, in each papel', async () => {
      const [unidade] = await rows<{ id: number }>(
        `select u id from (select remetente_unidade_id u from (select * from tramites where ambiente = 'PRODUCAO') tramites union all select destinatario_unidade_id from tramites) x
          group by u order by count(*) desc, u limit 1`,
      );
      const u = unidade!.id;
      const unidadeGid = gid('UnidadeAdministrativa', u);
      const cases: [string, string][] = [
        ['ORIGEM', 'remetente_unidade_id = $1'],
        ['DESTINO', 'destinatario_unidade_id = $1 and situacao not in (8, 9)'],
        ['QUALQUER', 'remetente_unidade_id = $1 or (destinatario_unidade_id = $1 and situacao not in (8, 9))'],
      ];
      for (const [papel, where] of cases) {
        const expected = await ids(`select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where ${where}`, [u]);
        const got = await listed({ unidade: unidadeGid, papel });
        expect(got.ids, papel).toEqual(expected);
        expect(got.totalCount, papel).toBe(expected.length);
      }
    });

    test('criadoDesde and criadoAte (inclusive bounds)', async () => {
      const [bounds] = await rows<{ desde: string; ate: string }>(
        `select to_char(percentile_disc(0.3) within group (order by criado_em) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') desde,
                to_char(percentile_disc(0.7) within group (order by criado_em) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ate
           from (select * from tramites where ambiente = 'PRODUCAO') tramites`,
      );
      const { desde, ate } = bounds!;
      const cases: [Record<string, unknown>, string, unknown[]][] = [
        [{ criadoDesde: desde }, 'criado_em >= $1::timestamptz', [desde]],
        [{ criadoAte: ate }, 'criado_em <= $1::timestamptz', [ate]],
        [{ criadoDesde: desde, criadoAte: ate }, 'criado_em between $1::timestamptz and $2::timestamptz', [desde, ate]],
      ];
      for (const [filtro, where, params] of cases) {
        const expected = await ids(
          `select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where ${where}`,
          params,
        );
        expect(expected.length).toBeGreaterThan(0);
        const got = await listed(filtro);
        expect(got.ids, JSON.stringify(filtro)).toEqual(expected);
        expect(got.totalCount).toBe(expected.length);
      }
      // A date alone (midnight UTC) is accepted too.
      const dia = desde.slice(0, 10);
      expect((await listed({ criadoDesde: dia })).ids).toEqual(
        await ids(`select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where criado_em >= $1::timestamptz`, [
          `${dia}T00:00:00Z`,
        ]),
      );
    });

    test('paradoHaMaisDeDias: in progress and unchanged for more than N days', async () => {
      for (const dias of [0, 3, 10]) {
        const limite = new Date(NOW.getTime() - dias * DIA).toISOString();
        const expected = await ids(
          `select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where ${EM_ANDAMENTO_SQL} and situacao_alterada_em < $1::timestamptz`,
          [limite],
        );
        const got = await listed({ paradoHaMaisDeDias: dias });
        expect(got.ids, `${dias} dias`).toEqual(expected);
        expect(got.totalCount).toBe(expected.length);
        if (dias === 3) expect(expected.length).toBeGreaterThan(0);
      }
    });

    test('nre and numeroProcesso', async () => {
      const [processo] = await rows<{ nre: string; numero_processo: string }>(
        "select nre, numero_processo from (select * from tramites where ambiente = 'PRODUCAO') tramites group by nre, numero_processo order by count(*) desc, nre limit 1",
      );
      const porNre = await ids("select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where nre = $1", [
        processo!.nre,
      ]);
      expect(porNre.length).toBeGreaterThan(1);
      expect((await listed({ nre: processo!.nre })).ids).toEqual(porNre);
      expect((await listed({ numeroProcesso: processo!.numero_processo })).ids).toEqual(
        await ids("select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where numero_processo = $1", [
          processo!.numero_processo,
        ]),
      );
    });

    test('filters combine with AND, and with the viewer’s visibility', async () => {
      const filtro = { situacoes: ['CONCLUIDO', 'RECUSADO', 'CIENCIA_RECUSA'], orgao: gid('Orgao', mgiId), papel: 'DESTINO' };
      // As destination the trâmites it refused count nowhere, for PEN_ADMIN as for the MGI's gestor (docs/domain.md §9);
      // PEN_ADMIN still finds them from the sender's side.
      const asAdmin = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao = 6 and destinatario_orgao_id = $1",
        [mgiId],
      );
      expect((await listed(filtro)).ids).toEqual(asAdmin);
      const recusados = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao in (8, 9) and destinatario_orgao_id = $1",
        [mgiId],
      );
      expect(recusados.length).toBeGreaterThan(0);
      const asGestor = await ids(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao = 6 and destinatario_orgao_id = $1",
        [mgiId],
      );
      const got = await listed(filtro, anaMgi);
      expect(got.ids).toEqual(asGestor);
      expect(got.totalCount).toBe(asGestor.length);
    });
  });

  describe('tramites ordering and pagination', () => {
    test('PARADOS_HA_MAIS_TEMPO is sorted by situacaoAlteradaEm ascending across pages', async () => {
      const { nodes, totalCount } = await walkForward(admin, { ordem: 'PARADOS_HA_MAIS_TEMPO' }, 25);
      expect(nodes.length).toBe(totalCount);
      const times = nodes.map((n) => new Date(n.situacaoAlteradaEm).getTime());
      for (let i = 1; i < times.length; i++) expect(times[i]!, `position ${i}`).toBeGreaterThanOrEqual(times[i - 1]!);
      const expected = (
        await rows<{ id: number }>(
          "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites order by situacao_alterada_em asc, id asc",
        )
      ).map((r) => r.id);
      expect(nodes.map((n) => dbId(n.id, 'Tramite'))).toEqual(expected);
    });

    test('the default order is the most recent first (id descending)', async () => {
      const { nodes } = await walkForward(admin, {}, 100);
      expect(nodes.map((n) => dbId(n.id, 'Tramite'))).toEqual(
        (
          await rows<{ id: number }>("select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites order by id desc")
        ).map((r) => r.id),
      );
    });

    test.each([
      ['PEN_ADMIN', PEN_ADMIN],
      ['a gestor', GESTORA_MGI],
    ])('walking every page with first: 7 visits each trâmite visible to %s exactly once', async (_who, conta) => {
      const token = await gw.tokenOf(conta);
      const account = demoAccount(conta);
      const expected = account.papeis.includes('PEN_ADMIN')
        ? await ids("select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites")
        : await ids(
            `select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites
              where remetente_orgao_id = $1 or (destinatario_orgao_id = $1 and situacao not in (8, 9))`,
            [mgiId],
          );
      const { nodes, totalCount, pages } = await walkForward(token, {}, 7);
      expect(totalCount).toBe(expected.length);
      expect(pages).toBe(Math.ceil(expected.length / 7));
      const visited = nodes.map((n) => dbId(n.id, 'Tramite'));
      expect(new Set(visited).size).toBe(visited.length);
      expect(sorted(visited)).toEqual(expected);
    });

    test('backward pagination (last/before) returns the same list as forward pagination', async () => {
      for (const vars of [{}, { ordem: 'PARADOS_HA_MAIS_TEMPO' }, { filtro: { orgao: gid('Orgao', mgiId) } }]) {
        const forward = (await walkForward(admin, vars, 7)).nodes.map((n) => n.id);
        const backward = (await walkBackward(admin, vars, 7)).map((n) => n.id);
        expect(backward, JSON.stringify(vars)).toEqual(forward);
      }
    });

    test('pageInfo: first page has no previous page, last page has no next page; before/after are exclusive', async () => {
      const p1 = ok(await gw.gql<Page>(TRAMITES_PAGE, { first: 5 }, admin)).tramites;
      expect(p1.edges.length).toBe(5);
      expect(p1.pageInfo.hasPreviousPage).toBe(false);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      const p2 = ok(await gw.gql<Page>(TRAMITES_PAGE, { first: 5, after: p1.pageInfo.endCursor }, admin)).tramites;
      expect(p2.pageInfo.hasPreviousPage).toBe(true);
      const back = ok(await gw.gql<Page>(TRAMITES_PAGE, { last: 5, before: p2.pageInfo.startCursor }, admin)).tramites;
      expect(back.edges.map((e) => e.node.id)).toEqual(p1.edges.map((e) => e.node.id));
      const lastPage = ok(await gw.gql<Page>(TRAMITES_PAGE, { last: 3 }, admin)).tramites;
      expect(lastPage.pageInfo.hasNextPage).toBe(false);
      expect(lastPage.pageInfo.hasPreviousPage).toBe(true);
      expect(lastPage.edges.map((e) => dbId(e.node.id, 'Tramite'))).toEqual(
        (
          await rows<{ id: number }>(
            "select id::int from (select id from (select * from tramites where ambiente = 'PRODUCAO') tramites order by id asc limit 3) x order by id desc",
          )
        ).map((r) => r.id),
      );
    });
  });

  describe('painel', () => {
    const PAINEL = /* GraphQL */ `
      query($orgao: ID, $desde: DateTime, $ate: DateTime) {
        painel(orgao: $orgao, desde: $desde, ate: $ate) {
          orgao { id sigla }
          desde ate
          comoOrigem { total porSituacao { situacao quantidade percentual } }
          comoDestino { total porSituacao { situacao quantidade percentual } }
        }
      }
    `;
    type Contagens = { total: number; porSituacao: { situacao: string; quantidade: number; percentual: number }[] };
    type Painel = { orgao: { id: string; sigla: string } | null; comoOrigem: Contagens; comoDestino: Contagens };

    async function expectCounts(c: Contagens, where: string, params: unknown[]) {
      const porSituacao = new Map(
        (
          await rows<{ situacao: number; n: number }>(
            `select situacao, count(*)::int n from (select * from tramites where ambiente = 'PRODUCAO') tramites where ${where} group by situacao`,
            params,
          )
        ).map((r) => [r.situacao, r.n]),
      );
      const total = await count(
        `select count(*)::int n from (select * from tramites where ambiente = 'PRODUCAO') tramites where ${where}`,
        params,
      );
      expect(c.total).toBe(total);
      // Always the ten rows, in code order, with zero where there is none.
      expect(c.porSituacao.map((s) => s.situacao)).toEqual(SITUACOES.map(chave));
      for (const [i, s] of c.porSituacao.entries()) {
        const n = porSituacao.get(SITUACOES[i]!) ?? 0;
        expect(s.quantidade, s.situacao).toBe(n);
        expect(s.percentual, s.situacao).toBe(total === 0 ? 0 : Math.round((n * 10_000) / total) / 100);
      }
      expect(c.porSituacao.reduce((sum, s) => sum + s.quantidade, 0)).toBe(c.total);
    }

    test('a gestor sees its own agency’s panel, by default and by naming it', async () => {
      for (const vars of [{}, { orgao: gid('Orgao', mgiId) }]) {
        const p = ok(await gw.gql<{ painel: Painel }>(PAINEL, vars, anaMgi)).painel;
        expect(p.orgao).toEqual({ id: gid('Orgao', mgiId), sigla: 'MGI' });
        await expectCounts(p.comoOrigem, 'remetente_orgao_id = $1', [mgiId]);
        await expectCounts(p.comoDestino, 'destinatario_orgao_id = $1 and situacao not in (8, 9)', [mgiId]);
        expect(p.comoOrigem.total).toBeGreaterThan(0);
        expect(p.comoDestino.total).toBeGreaterThan(0);
      }
    });

    test('ten rows even for an agency with few trâmites, and a period filters by criação', async () => {
      const [menor] = await rows<{ id: number }>(
        `select o.id from estruturas o left join (select * from tramites where ambiente = 'PRODUCAO') t on t.remetente_orgao_id = o.id
          where o.pai_id is null group by o.id order by count(t.id), o.id limit 1`,
      );
      const p = ok(await gw.gql<{ painel: Painel }>(PAINEL, { orgao: gid('Orgao', menor!.id) }, admin)).painel;
      expect(p.comoOrigem.porSituacao.length).toBe(10);
      expect(p.comoDestino.porSituacao.length).toBe(10);
      await expectCounts(p.comoOrigem, 'remetente_orgao_id = $1', [menor!.id]);

      const desde = new Date(NOW.getTime() - 30 * DIA).toISOString();
      const ate = new Date(NOW.getTime() - 10 * DIA).toISOString();
      const periodo = ok(await gw.gql<{ painel: Painel }>(PAINEL, { desde, ate }, anaMgi)).painel;
      await expectCounts(periodo.comoOrigem, 'remetente_orgao_id = $1 and criado_em between $2::timestamptz and $3::timestamptz', [
        mgiId,
        desde,
        ate,
      ]);
      await expectCounts(
        periodo.comoDestino,
        'destinatario_orgao_id = $1 and situacao not in (8, 9) and criado_em between $2::timestamptz and $3::timestamptz',
        [mgiId, desde, ate],
      );
    });

    test('PEN_ADMIN sees any agency’s panel and the whole platform’s', async () => {
      const [ms] = await rows<{ id: number }>(`select id from estruturas where pai_id is null and sigla = 'MS'`);
      const p = ok(await gw.gql<{ painel: Painel }>(PAINEL, { orgao: gid('Orgao', ms!.id) }, admin)).painel;
      expect(p.orgao).toEqual({ id: gid('Orgao', ms!.id), sigla: 'MS' });
      await expectCounts(p.comoOrigem, 'remetente_orgao_id = $1', [ms!.id]);
      await expectCounts(p.comoDestino, 'destinatario_orgao_id = $1 and situacao not in (8, 9)', [ms!.id]);

      const plataforma = ok(await gw.gql<{ painel: Painel }>(PAINEL, {}, admin)).painel;
      expect(plataforma.orgao).toBeNull();
      await expectCounts(plataforma.comoOrigem, 'true', []);
      await expectCounts(plataforma.comoDestino, 'true', []);
    });

    test('a gestor asking for another agency’s panel gets FORBIDDEN', async () => {
      const [ms] = await rows<{ id: number }>(`select id from estruturas where pai_id is null and sigla = 'MS'`);
      const res = await gw.gql(PAINEL, { orgao: gid('Orgao', ms!.id) }, anaMgi);
      expect(res.status).toBeLessThan(500);
      expect(res.data?.painel ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
