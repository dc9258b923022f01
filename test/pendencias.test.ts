// `pendencias` and its live feed on both backends: the list of each side at each status (generated from the rules
// table, checked against SQL written from it), an SPE pair that integrates driven only by the list until its
// trâmites are done, the live feed over graphql-ws resumed by cursor, and FAQ 7.12's guidance on each trâmite.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MUTACAO_POR_ACAO } from '../src/tramites/graphql/tramite.js';
import { acaoEsperada, ORIENTACAO_FAQ, PASSOS, SITUACAO_INFO, SITUACOES, type Acao, type Situacao } from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { PEN_ADMIN } from './support/accounts.js';
import { assinar, maxSeq, type Assinatura } from './support/feeds.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { waitUntil } from './support/wait.js';
import { habilitada } from './support/configuracao.js';

const PAGINA = `query($after: String, $orgao: ID) {
  pendencias(first: 50, after: $after, orgao: $orgao) {
    pageInfo { hasNextPage endCursor }
    nodes { id codigoSituacao quemDeveAgir acaoEsperada situacaoAlteradaEm }
  }
}`;

interface Item {
  id: string;
  codigoSituacao: Situacao;
  quemDeveAgir: string | null;
  acaoEsperada: Acao | null;
  situacaoAlteradaEm: string;
}
interface EventoPendencia {
  cursor: string;
  pendente: boolean;
  acaoEsperada: Acao | null;
  tramite: { id: string; situacao: string };
}
interface Agencia {
  id: number;
  sigla: string;
  repositorio: number;
  numero: number;
}

describe('the rules behind pendencias (pure)', () => {
  test.each(SITUACOES.map((s) => [s]))(
    'status %i: the act expected is a step out of it by the side that must act, or none when final',
    (s) => {
      const info = SITUACAO_INFO[s];
      const acao = acaoEsperada(s);
      if (info.quemDeveAgir == null) {
        expect(acao).toBeNull();
        return;
      }
      const passo = PASSOS.find((p) => p.acao === acao)!;
      expect(passo.de).toContain(s);
      expect(passo.lado).toBe(info.quemDeveAgir);
      expect(MUTACAO_POR_ACAO[passo.acao]).toEqual(expect.any(String));
      expect(['CANCELAR', 'RECUSAR']).not.toContain(passo.acao);
    },
  );

  test('every status has FAQ 7.12 guidance', () => {
    for (const s of SITUACOES) expect(['ORIGEM', 'PLATAFORMA', 'DESTINO']).toContain(ORIENTACAO_FAQ[s].ondeEsta);
  });
});

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let agencias: Agencia[];
  let processo = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const speDe = (a: Agencia) =>
    gw.token({ sub: `spe:teste.${a.sigla.toLowerCase()}`, orgao: { repositorio: a.repositorio, estrutura: a.numero }, roles: ['SPE'] });

  beforeAll(async () => {
    gw = await startTestGateway(backend, { feedPollMs: 200 });
    agencias = await rows<Agencia>(
      `select id::int as id, sigla, repositorio_id::int as repositorio, numero_identificacao::int as numero
         from estruturas where pai_id is null order by id`,
    );
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** Every page of `pendencias` for a token (bounded walk). */
  async function todas(token: string, orgao: string | null = null): Promise<Item[]> {
    const found: Item[] = [];
    let after: string | null = null;
    for (let page = 0; page < 40; page++) {
      const data = await gw.ok(PAGINA, { after, orgao }, token);
      found.push(...(data.pendencias.nodes as Item[]));
      if (!data.pendencias.pageInfo.hasNextPage) return found;
      after = data.pendencias.pageInfo.endCursor;
    }
    throw new Error('pendencias: more than 40 pages');
  }

  test('each agency’s list, status by status, is what the rules table says its side must act on (SQL from the table)', async () => {
    const vistos = new Set<Situacao>();
    for (const a of agencias) {
      const lista = await todas(await speDe(a));
      for (const s of SITUACOES) {
        const lado = SITUACAO_INFO[s].quemDeveAgir;
        const coluna = lado === 'REMETENTE' ? 'remetente_orgao_id' : 'destinatario_orgao_id';
        const esperado =
          lado == null
            ? []
            : (
                await rows<{ id: number }>(
                  `select id::int as id from tramites where ${coluna} = $1 and situacao = $2 order by situacao_alterada_em, id`,
                  [a.id, s],
                )
              ).map((r) => r.id);
        const daSituacao = lista.filter((i) => i.codigoSituacao === s);
        expect(
          daSituacao.map((i) => dbId(i.id)),
          `${a.sigla}, status ${s}`,
        ).toEqual(esperado);
        for (const i of daSituacao) expect(i.acaoEsperada).toBe(acaoEsperada(s));
        if (esperado.length) vistos.add(s);
      }
      // Oldest in its status first.
      const instantes = lista.map((i) => Date.parse(i.situacaoAlteradaEm));
      expect(instantes).toEqual([...instantes].sort((x, y) => x - y));
    }
    // The demo data exercise every status in which some side must act (else this test proves little).
    expect([...vistos].sort((x, y) => x - y)).toEqual(SITUACOES.filter((s) => SITUACAO_INFO[s].quemDeveAgir != null));
  });

  test('PEN_ADMIN: one agency’s list with `orgao`, every side’s without', async () => {
    const admin = await gw.tokenOf(PEN_ADMIN);
    const a = agencias[0]!;
    expect((await todas(admin, gid('Orgao', a.id))).map((i) => i.id)).toEqual((await todas(await speDe(a))).map((i) => i.id));
    const [linha] = await rows<{ n: number }>('select count(*)::int as n from tramites where situacao in (1, 2, 3, 4, 5, 8)');
    expect((await todas(admin)).length).toBe(linha!.n);
  });

  test('alertasParados: the pending trâmites stuck beyond the threshold (60 minutes by default), oldest first', async () => {
    const q = `query($m: Int) { alertasParados(first: 100, minutos: $m) { nodes { id } } }`;
    let algum = 0;
    for (const a of agencias) {
      const token = await speDe(a);
      for (const minutos of [undefined, 60 * 24 * 3]) {
        const limite = new Date(Date.now() - (minutos ?? 60) * 60_000);
        const esperado = (
          await rows<{ id: number }>(
            `select id::int as id from tramites
              where ((remetente_orgao_id = $1 and situacao in (1, 5, 8)) or (destinatario_orgao_id = $1 and situacao in (2, 3, 4)))
                and situacao_alterada_em < $2::timestamptz
              order by situacao_alterada_em, id limit 100`,
            [a.id, limite.toISOString()],
          )
        ).map((r) => r.id);
        const data = await gw.ok(q, minutos ? { m: minutos } : {}, token);
        expect(
          data.alertasParados.nodes.map((n: { id: string }) => dbId(n.id)),
          `${a.sigla}, ${minutos ?? 'default'}`,
        ).toEqual(esperado);
        algum += esperado.length;
      }
    }
    expect(algum).toBeGreaterThan(0);
    const res = await gw.gql('{ alertasParados(minutos: 0) { nodes { id } } }', {}, await speDe(agencias[0]!));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('another agency’s list is refused to a gestor or SPE', async () => {
    const [a, b] = agencias;
    const res = await gw.gql(PAGINA, { orgao: gid('Orgao', b!.id) }, await speDe(a!));
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  async function cenario() {
    const unidades = (where: string) =>
      rows<{ id: number; orgao_id: number }>(
        `select id::int as id, orgao_id::int as orgao_id from estruturas where pai_id is not null and ${where} order by id`,
      );
    const envio = await unidades(habilitada('estruturas', 'envio'));
    const recebimento = await unidades(habilitada('estruturas', 'recebimento'));
    const origem = envio[0]!;
    const destino = recebimento.find((u) => u.orgao_id !== origem.orgao_id)!;
    const rem = agencias.find((a) => a.id === origem.orgao_id)!;
    const dest = agencias.find((a) => a.id === destino.orgao_id)!;
    return { origem, destino, rem, dest, tokenRem: await speDe(rem), tokenDest: await speDe(dest) };
  }

  async function iniciar(c: Awaited<ReturnType<typeof cenario>>): Promise<string> {
    processo += 1;
    const data = await gw.ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { __typename ... on TransicaoRealizada { tramite { id } } } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-pendencias-${processo}`,
          unidadeRemetente: gid('UnidadeAdministrativa', c.origem.id),
          unidadeDestinataria: gid('UnidadeAdministrativa', c.destino.id),
          ...CONTEUDO_DE_DEMO_GQL,
        },
      },
      c.tokenRem,
    );
    expect(data.r.__typename).toBe('TransicaoRealizada');
    return data.r.tramite.id;
  }

  test('an SPE pair integrates driven only by pendencias: each takes the act expected until its trâmites are done', async () => {
    const c = await cenario();
    const meus = new Set<string>();
    for (let i = 0; i < 3; i++) meus.add(await iniciar(c));
    const atos: string[] = [];
    for (let rodada = 0; rodada < 20; rodada++) {
      let agiu = false;
      for (const token of [c.tokenRem, c.tokenDest]) {
        for (const item of (await todas(token)).filter((i) => meus.has(i.id))) {
          // The act expected, as the SPE takes it: the upload, the hashes, the signed receipt, the bare step otherwise.
          const { data } = await passoComConteudo(
            gw.gateway.url,
            item.acaoEsperada as Parameters<typeof passoComConteudo>[1],
            item.id,
            token,
            {
              sucesso: 'tramite { id }',
              erro: 'codigo',
            },
          );
          expect(data.r.__typename, item.acaoEsperada!).toBe('TransicaoRealizada');
          atos.push(item.acaoEsperada!);
          agiu = true;
        }
      }
      if (!agiu) break;
    }
    for (const id of meus) {
      const data = await gw.ok('query($id: ID!) { node(id: $id) { ... on Tramite { situacao } } }', { id }, c.tokenRem);
      expect(data.node.situacao).toBe('CONCLUIDO');
    }
    // Each trâmite went through the five acts of the success path, once each.
    const caminho: Acao[] = [1, 2, 3, 4, 5].map((s) => acaoEsperada(s as Situacao)!);
    for (const acao of caminho) expect(atos.filter((a) => a === acao)).toHaveLength(3);
    expect(atos).toHaveLength(15);
  });

  test('the live feed over graphql-ws: items enter and leave the recipient’s list, and a cursor resumes it', async () => {
    const c = await cenario();
    const id = await iniciar(c);
    // From the log's current end: every later event reaches the subscription, replayed or live, whenever it connects.
    const inicio = String(await maxSeq(rows));
    const SUB =
      'subscription($aPartirDe: String) { e: pendenciasAoVivo(aPartirDe: $aPartirDe) { cursor pendente acaoEsperada tramite { id situacao } } }';
    const doTramite = (a: Assinatura) => (a.eventos as unknown as EventoPendencia[]).filter((e) => e.tramite.id === id);
    const ao = assinar(gw.gateway.url, c.tokenDest, SUB, { aPartirDe: inicio });
    const passo = async (acao: Parameters<typeof passoComConteudo>[1], token: string) => {
      const { data } = await passoComConteudo(gw.gateway.url, acao, id, token, { sucesso: 'tramite { id }', erro: 'codigo' });
      expect(data.r.__typename, acao).toBe('TransicaoRealizada');
    };
    try {
      await passo('ENVIAR_COMPONENTES_DIGITAIS', c.tokenRem); // the upload, 1 → 2: enters the recipient's list
      await passo('RECEBER_METADADOS', c.tokenDest); // 2 → 3: still there, another act
      await passo('RECEBER_COMPONENTES_DIGITAIS', c.tokenDest); // the hashes, 3 → 4
      await passo('ENVIAR_RECIBO_CONCLUSAO', c.tokenDest); // the signed receipt, 4 → 5: leaves it
      await passo('RECEBER_RECIBO_CONCLUSAO', c.tokenRem); // 5 → 6: no business of the recipient's list
      await waitUntil('4 pending events', () => doTramite(ao).length >= 4);
      const meus = doTramite(ao);
      expect(meus.map((e) => [e.pendente, e.acaoEsperada])).toEqual([
        [true, 'RECEBER_METADADOS'],
        [true, 'RECEBER_COMPONENTES_DIGITAIS'],
        [true, 'ENVIAR_RECIBO_CONCLUSAO'],
        [false, null],
      ]);
      // The sender sees its own list change: in at 1 (start, before `inicio`), out at 2, in at 5, out at 6.
      const rem = assinar(gw.gateway.url, c.tokenRem, SUB, { aPartirDe: inicio });
      await waitUntil('3 sender events', () => doTramite(rem).length >= 3);
      expect(doTramite(rem).map((e) => [e.pendente, e.tramite.situacao])).toEqual([
        [false, 'CONCLUIDO'],
        [true, 'CONCLUIDO'],
        [false, 'CONCLUIDO'],
      ]);
      expect(doTramite(rem).map((e) => e.acaoEsperada)).toEqual([null, 'RECEBER_RECIBO_CONCLUSAO', null]);
      rem.parar();
      await rem.conexao.encerrar();

      // Resume from the first event's cursor: the three after it, in order.
      const retomada = assinar(gw.gateway.url, c.tokenDest, SUB, { aPartirDe: meus[0]!.cursor });
      await waitUntil('3 resumed events', () => doTramite(retomada).length >= 3);
      expect(doTramite(retomada).map((e) => e.cursor)).toEqual(meus.slice(1).map((e) => e.cursor));
      retomada.parar();
      await retomada.conexao.encerrar();
    } finally {
      ao.parar();
      await ao.conexao.encerrar();
    }
  });

  test('FAQ 7.12 guidance and the act expected on each trâmite', async () => {
    const data = await gw.ok(
      '{ tramites(first: 100) { nodes { codigoSituacao ondeEstaOProcesso oQuePodeSerFeito acaoEsperada } } }',
      {},
      await gw.tokenOf(PEN_ADMIN),
    );
    for (const n of data.tramites.nodes as {
      codigoSituacao: Situacao;
      ondeEstaOProcesso: string;
      oQuePodeSerFeito: string | null;
      acaoEsperada: Acao | null;
    }[]) {
      expect(n.ondeEstaOProcesso).toBe(ORIENTACAO_FAQ[n.codigoSituacao].ondeEsta);
      expect(n.oQuePodeSerFeito).toBe(ORIENTACAO_FAQ[n.codigoSituacao].oQuePodeSerFeito);
      expect(n.acaoEsperada).toBe(acaoEsperada(n.codigoSituacao));
    }
  });
});
