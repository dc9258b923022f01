// An SPE serving several agencies reads as each of them (issue 10 item 5), over HTTP and graphql-ws, on both
// backends: Dataprev's SUPER (the demo's SPE for INSS, INCRA and ANVISA) sees its agencies' trâmites and no others', in
// each environment apart; after a refusal the recipient agency's SPE no longer sees it; `acoesPermitidas` is, trâmite
// by trâmite, what each served agency's own SPE may do. And every path returning a trâmite honours the environment:
// `node(id:)` answers in the default one. Expectations come from SQL written here and from single-agency SPE tokens.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ambiente } from '../src/kernel/ambiente.js';
import { BACKENDS } from './support/backends.js';
import { Conexao, SUB_TRAMITES } from './support/feeds.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { dbId, gid } from './support/ids.js';
import { waitUntil } from './support/wait.js';

const SUPER = 'spe:super.dataprev.gov.br';
const AMBIENTES: Ambiente[] = ['PRODUCAO', 'HOMOLOGACAO'];

/** What an agency (or set of agencies) reads, written independently of acesso.ts: sender, or recipient unless refused. */
const VISIVEIS = `(t.remetente_orgao_id = any($1::int[]) or (t.destinatario_orgao_id = any($1::int[]) and t.situacao not in (8, 9)))`;

interface Servido {
  id: number;
  sigla: string;
  /** A token of the agency's own SPE (no `spe` claim: it acts for its agency alone). */
  token: string;
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let superToken: string;
  let servidos: Servido[];
  let penAdmin: string;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const ids = () => servidos.map((s) => s.id);

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    superToken = await gw.tokenOf(SUPER);
    penAdmin = await gw.tokenOf('pen.admin');
    const linhas = await rows<{ id: number; sigla: string; repositorio: number; numero: number }>(
      `select r.id::int, r.sigla, r.repositorio_id::int as repositorio, r.numero_identificacao::int as numero
         from sistema_orgaos so join sistemas s on s.id = so.sistema_id join estruturas r on r.id = so.orgao_id
        where s.codigo = $1 order by r.id`,
      [SUPER.replace(/^spe:/, '')],
    );
    expect(linhas.map((l) => l.sigla).sort()).toEqual(['ANVISA', 'INCRA', 'INSS']);
    servidos = await Promise.all(
      linhas.map(async (l) => ({
        id: l.id,
        sigla: l.sigla,
        token: await gw.token({
          sub: `spe:proprio.${l.sigla}`,
          orgao: { repositorio: l.repositorio, estrutura: l.numero },
          roles: ['SPE'],
        }),
      })),
    );
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** Every trâmite a token lists in an environment, page by page (bounded), with its steps. */
  async function lista(token: string, ambiente: Ambiente): Promise<Map<number, string[]>> {
    const todos = new Map<number, string[]>();
    let after: string | null = null;
    for (let pagina = 0; pagina < 50; pagina++) {
      const data = await gw.ok(
        `query($after: String, $ambiente: Ambiente) { tramites(first: 100, after: $after, ambiente: $ambiente) {
          totalCount pageInfo { hasNextPage endCursor } nodes { id acoesPermitidas } } }`,
        { after, ambiente },
        token,
      );
      for (const n of data.tramites.nodes) todos.set(dbId(n.id), [...n.acoesPermitidas].sort());
      if (!data.tramites.pageInfo.hasNextPage) {
        expect(todos.size).toBe(data.tramites.totalCount);
        return todos;
      }
      after = data.tramites.pageInfo.endCursor;
    }
    throw new Error('more than 50 pages');
  }

  test('SUPER lists its three agencies’ trâmites and no others’, in each environment apart (SQL from the rule)', async () => {
    let vistos = 0;
    for (const ambiente of AMBIENTES) {
      const esperado = await rows<{ id: number }>(`select id::int from tramites t where t.ambiente = $2 and ${VISIVEIS} order by id`, [
        ids(),
        ambiente,
      ]);
      const lidos = await lista(superToken, ambiente);
      expect(
        [...lidos.keys()].sort((a, b) => a - b),
        ambiente,
      ).toEqual(esperado.map((e) => e.id));
      vistos += esperado.length;
    }
    expect(vistos).toBeGreaterThan(0);
    // Each served agency's trâmites are among them (not only the first agency's).
    for (const s of servidos) {
      const [n] = await rows<{ n: number }>(`select count(*)::int as n from tramites t where ${VISIVEIS}`, [[s.id]]);
      expect(n!.n, s.sigla).toBeGreaterThan(0);
    }
  });

  test('one trâmite by id, node, idt and its process: a served agency’s is there, another agency’s is null', async () => {
    const [servido] = await rows<{ id: number; idt: string; numero: string }>(
      `select id::int, idt::text, numero_processo as numero from tramites t where t.ambiente = 'PRODUCAO' and t.tipo = 'PROCESSO'
          and t.remetente_orgao_id = any($1::int[]) order by id limit 1`,
      [ids()],
    );
    const [alheio] = await rows<{ id: number; idt: string; numero: string }>(
      `select id::int, idt::text, numero_processo as numero from tramites t where t.ambiente = 'PRODUCAO' and t.tipo = 'PROCESSO'
          and not (t.remetente_orgao_id = any($1::int[]) or t.destinatario_orgao_id = any($1::int[])) order by id limit 1`,
      [ids()],
    );
    const LER = `query($id: ID!, $idt: String!, $numero: String!) {
      porId: tramite(id: $id) { id } porIdt: tramite(idt: $idt) { id } node(id: $id) { id }
      processo(numeroProcesso: $numero) { tramites { id } } }`;
    const ler = (t: { id: number; idt: string; numero: string }) =>
      gw.ok(LER, { id: gid('Tramite', t.id), idt: t.idt, numero: t.numero }, superToken);
    const meu = await ler(servido!);
    expect([meu.porId?.id, meu.porIdt?.id, meu.node?.id]).toEqual(Array(3).fill(gid('Tramite', servido!.id)));
    expect(meu.processo.tramites.map((t: { id: string }) => t.id)).toContain(gid('Tramite', servido!.id));
    const deOutro = await ler(alheio!);
    expect([deOutro.porId, deOutro.porIdt, deOutro.node, deOutro.processo]).toEqual([null, null, null, null]);
  });

  test('pendencias without orgao: every served agency’s pending work (SQL from the rules table’s copy)', async () => {
    const esperado = await rows<{ id: number }>(
      `select id::int from tramites t where t.ambiente = 'PRODUCAO' and (
         (t.remetente_orgao_id = any($1::int[]) and t.situacao in (1, 5, 8)) or (t.destinatario_orgao_id = any($1::int[]) and t.situacao in (2, 3, 4)))
        order by id`,
      [ids()],
    );
    expect(esperado.length).toBeGreaterThan(0);
    const data = await gw.ok('{ pendencias(first: 100) { nodes { id } } }', {}, superToken);
    expect(data.pendencias.nodes.map((n: { id: string }) => dbId(n.id)).sort((a: number, b: number) => a - b)).toEqual(
      esperado.map((e) => e.id).slice(0, 100),
    );
  });

  test('acoesPermitidas: on each trâmite, the union of what each served agency’s own SPE may do there', async () => {
    const deSuper = await lista(superToken, 'PRODUCAO');
    const porOrgao = await Promise.all(servidos.map((s) => lista(s.token, 'PRODUCAO')));
    let comAcoes = 0;
    for (const [id, acoes] of deSuper) {
      const uniao = [...new Set(porOrgao.flatMap((m) => m.get(id) ?? []))].sort();
      expect(acoes, `trâmite ${id}`).toEqual(uniao);
      if (acoes.length > 0) comAcoes += 1;
    }
    expect(comAcoes).toBeGreaterThan(0);
    // And a trâmite between two served agencies carries both sides' steps.
    const [entre] = await rows<{ id: number }>(
      `select id::int from tramites t where t.ambiente = 'PRODUCAO' and t.situacao in (1, 2, 3, 4)
          and t.remetente_orgao_id = any($1::int[]) and t.destinatario_orgao_id = any($1::int[]) limit 1`,
      [ids()],
    );
    if (entre) {
      const data = await gw.ok('query($id: ID!) { tramite(id: $id) { acoesPermitidas } }', { id: gid('Tramite', entre.id) }, superToken);
      expect(data.tramite.acoesPermitidas).toContain('CANCELAR'); // the sender's step, beside the recipient's
    }
  });

  test('a refused trâmite is hidden from the recipient agency’s SPE, SUPER included, and still the sender’s', async () => {
    const [alvo] = await rows<{ id: number; destino: number; remetente: number }>(
      `select id::int, destinatario_orgao_id::int as destino, remetente_orgao_id::int as remetente from tramites t
        where t.ambiente = 'PRODUCAO' and t.situacao in (3, 4) and t.destinatario_orgao_id = any($1::int[])
          and not (t.remetente_orgao_id = any($1::int[])) order by id limit 1`,
      [ids()],
    );
    expect(alvo, 'the demo has a trâmite at 3 or 4 sent to a served agency by another').toBeDefined();
    const id = gid('Tramite', alvo!.id);
    const LER = 'query($id: ID!) { tramite(id: $id) { id situacao } node(id: $id) { id } }';
    expect((await gw.ok(LER, { id }, superToken)).tramite).not.toBeNull();
    const recusa = await gw.ok(
      `mutation($input: RecusarTramiteInput!) { r: recusarTramite(input: $input) { __typename ... on Erro { codigo } } }`,
      { input: { tramite: id, orgao: gid('Orgao', alvo!.destino), motivo: 'MOTIVO_99', justificativa: 'Unidade não configurada.' } },
      superToken,
    );
    expect(recusa.r.__typename).toBe('TransicaoRealizada');
    const destino = servidos.find((s) => s.id === alvo!.destino)!;
    for (const token of [superToken, destino.token]) {
      expect(await gw.ok(LER, { id }, token)).toEqual({ tramite: null, node: null });
      expect((await lista(token, 'PRODUCAO')).has(alvo!.id)).toBe(false);
    }
    const remetente = await gw.token({ sub: 'spe:remetente', orgao: await orgaoDoToken(alvo!.remetente), roles: ['SPE'] });
    expect((await gw.ok(LER, { id }, remetente)).tramite).toMatchObject({ situacao: 'RECUSADO' });
  });

  async function orgaoDoToken(orgaoId: number) {
    const [o] = await rows<{ repositorio: number; estrutura: number }>(
      'select repositorio_id::int as repositorio, numero_identificacao::int as estrutura from estruturas where id = $1',
      [orgaoId],
    );
    return o!;
  }

  test('eventosTramites without orgao: the events of every served agency’s trâmites, no others’ (replayed from a cursor)', async () => {
    const [inicio] = await rows<{ seq: string }>('select seq::text from tramite_eventos order by seq desc offset 300 limit 1');
    const esperado = await rows<{ seq: string }>(
      `select e.seq::text from tramite_eventos e join tramites t on t.id = e.tramite_id
        where e.tipo = 'SITUACAO' and e.seq > $2::bigint and t.ambiente = 'PRODUCAO' and ${VISIVEIS} order by e.seq`,
      [ids(), inicio!.seq],
    );
    expect(esperado.length).toBeGreaterThan(0);
    const conexao = new Conexao(gw.gateway.url, `Bearer ${superToken}`);
    try {
      const assinatura = conexao.assinar(SUB_TRAMITES, { aPartirDe: inicio!.seq });
      const recebidos = await assinatura.receber(esperado.length, 20_000);
      expect(recebidos.map((e) => e.cursor)).toEqual(esperado.map((e) => e.seq));
    } finally {
      await conexao.encerrar();
    }
  });

  test('two SPEs serving several agencies see one event differently: each gets what it may do (the shared execution keeps them apart)', async () => {
    // A production trâmite that a SUPER agency sends and that waits for its recipient (2–4): visible to both sides.
    const [t] = await rows<{ id: number; destinatario: number }>(
      `select t.id::int, t.destinatario_orgao_id::int as destinatario from tramites t
        where t.ambiente = 'PRODUCAO' and t.situacao between 2 and 4 and t.remetente_orgao_id = any($1::int[])
          and t.destinatario_orgao_id <> all($1::int[]) order by t.id limit 1`,
      [ids()],
    );
    expect(t).toBeDefined();
    // A second multi-agency SPE serving the recipient: both tokens have no agency of their own (orgaoId null).
    const codigo = `outro-spe-${backend}`;
    const [sistema] = await rows<{ id: number }>(
      `insert into sistemas (codigo, nome, sistema, gestor_tecnologico, criado_em) values ($1, 'Outro – SPE', 'OUTRO', 'Interno', now()) returning id::int`,
      [codigo],
    );
    await rows('insert into sistema_orgaos (sistema_id, orgao_id) values ($1, $2)', [sistema!.id, t!.destinatario]);
    const [outroServido] = await rows<{ id: number }>(
      'select id::int from estruturas where pai_id is null and id <> all($1::int[]) and id <> $2 order by id limit 1',
      [ids(), t!.destinatario],
    );
    await rows('insert into sistema_orgaos (sistema_id, orgao_id) values ($1, $2)', [sistema!.id, outroServido!.id]);
    const outroToken = await gw.token({ sub: `spe:${codigo}`, orgao: null, roles: ['SPE'], spe: codigo });
    const acoes = async (token: string) =>
      [
        ...(await gw.ok('query($id: ID!) { node(id: $id) { ... on Tramite { acoesPermitidas } } }', { id: gid('Tramite', t!.id) }, token))
          .node.acoesPermitidas,
      ].sort();
    const [doSuper, doOutro] = [await acoes(superToken), await acoes(outroToken)];
    expect(doSuper).not.toEqual(doOutro); // sender's and recipient's steps

    const sub = 'subscription { e: eventosTramites { cursor tramite { id acoesPermitidas } } }';
    // Live subscriptions start after what the bus delivered: let it deliver everything committed so far first.
    const [ultimo] = await rows<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from tramite_eventos');
    await waitUntil('the bus to catch up with the log', () => gw.gateway.feeds.tramites.posicao >= Number(ultimo!.seq));
    const antes = gw.gateway.feeds.tramites.assinantes;
    const deSuper = new Conexao(gw.gateway.url, `Bearer ${superToken}`);
    const deOutro = new Conexao(gw.gateway.url, `Bearer ${outroToken}`);
    try {
      const aSuper = deSuper.assinar(sub, {});
      const aOutro = deOutro.assinar(sub, {});
      await waitUntil('both subscriptions on the bus', () => gw.gateway.feeds.tramites.assinantes === antes + 2);
      // One event on the trâmite, committed and announced as the log's writers do (a single writer here).
      const [e] = await rows<{ seq: string }>(
        `insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, ocorrido_em)
           select id, situacao, situacao, 'teste.classes', 'REMETENTE', now() from tramites where id = $1 returning seq::text`,
        [t!.id],
      );
      await rows(`select pg_notify('tramite_eventos', $1)`, [e!.seq]);
      const [recebidoSuper] = (await aSuper.receber(1, 20_000)) as unknown as { tramite: { acoesPermitidas: string[] } }[];
      const [recebidoOutro] = (await aOutro.receber(1, 20_000)) as unknown as { tramite: { acoesPermitidas: string[] } }[];
      expect([...recebidoSuper!.tramite.acoesPermitidas].sort()).toEqual(doSuper);
      expect([...recebidoOutro!.tramite.acoesPermitidas].sort()).toEqual(doOutro);
    } finally {
      await Promise.all([deSuper.encerrar(), deOutro.encerrar()]);
    }
  });

  test('node(id:) answers in the default environment: a homologação trâmite is null there, read with tramite(ambiente:)', async () => {
    const [homolog] = await rows<{ id: number }>(
      `select id::int from tramites t where t.ambiente = 'HOMOLOGACAO' and t.remetente_orgao_id = any($1::int[]) order by id limit 1`,
      [ids()],
    );
    expect(homolog, 'the demo has a homologação trâmite of a served agency').toBeDefined();
    const id = gid('Tramite', homolog!.id);
    const LER = `query($id: ID!) { node(id: $id) { id } padrao: tramite(id: $id) { id } homologacao: tramite(id: $id, ambiente: HOMOLOGACAO) { id }
      producao: tramite(id: $id, ambiente: PRODUCAO) { id } }`;
    for (const token of [superToken, penAdmin]) {
      expect(await gw.ok(LER, { id }, token)).toEqual({ node: null, padrao: null, homologacao: { id }, producao: null });
    }
  });
});
