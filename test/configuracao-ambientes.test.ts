// A unit's configuration per environment (docs/domain.md §6), on both backends over HTTP: homologação's and produção's
// modes and centralising links are separate (a change in one leaves the other, each logged in its own), every reader
// goes through the environment (the trâmite start, the search's flags, the tree's filter, the unit's fields), and bad
// input (another agency's unit or centralising unit, an environment the agency does not configure yet) is refused with
// a code and nothing written. Production access copying homologação into produção is walked in
// solicitacao-acesso.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NUM_MGI, NUM_MS, REPO_EXECUTIVO } from '../src/demo/dados.js';
import { AMBIENTES } from '../src/kernel/ambiente.js';
import { demoAccount, GESTOR_SAUDE, GESTORA_MGI, SPE_SAUDE } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { centralizadora, configurarUnidade, habilitada } from './support/configuracao.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid } from './support/ids.js';
import { CONTEUDO_DE_DEMO_GQL } from './support/tramites.js';

const RESULTADO = `__typename
  ... on Erro { codigo }
  ... on ErroAmbienteNaoConfiguravel { ambiente etapa }
  ... on ConfiguracaoEstruturaAlterada { unidades { id modoTramitacao } eventos { tipo ambiente antes { modoTramitacao } depois { modoTramitacao } } }`;
const MODO = `mutation($input: DefinirModoTramitacaoInput!) { r: definirModoTramitacao(input: $input) { ${RESULTADO} } }`;
const CENTRAL = `mutation($input: DefinirUnidadeCentralizadoraInput!) { r: definirUnidadeCentralizadora(input: $input) { ${RESULTADO} } }`;
const CENTRALIZADAS = `mutation($input: DefinirUnidadesCentralizadasInput!) { r: definirUnidadesCentralizadas(input: $input) { ${RESULTADO} } }`;
const INICIAR = `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
  __typename ... on Erro { codigo } ... on TransicaoRealizada { tramite { id idt } } } }`;
const NOS_DOIS = `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa {
  h: modoTramitacao(ambiente: HOMOLOGACAO) p: modoTramitacao(ambiente: PRODUCAO) padrao: modoTramitacao
  aptaH: aptaParaReceberTramites(ambiente: HOMOLOGACAO) aptaP: aptaParaReceberTramites(ambiente: PRODUCAO)
  historicoH: historicoDeConfiguracao(ambiente: HOMOLOGACAO) { tipo ambiente depois { modoTramitacao } }
  historicoP: historicoDeConfiguracao(ambiente: PRODUCAO) { tipo ambiente depois { modoTramitacao } } } } }`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let processo = 0;
  const rows = <T = Record<string, unknown>>(text: string, params?: unknown[]) => gw.database.rows<T>(text, params);
  const raiz = async (numero: number) =>
    (
      await rows<{ id: number }>(
        'select id::int as id from estruturas where pai_id is null and repositorio_id = $1 and numero_identificacao = $2',
        [REPO_EXECUTIVO, numero],
      )
    )[0]!.id;
  /** Units of an agency (not its root) enabled to send and receive in both environments, not centralising nor centralised. */
  const comuns = async (numero: number) =>
    (
      await rows<{ id: number; sigla: string }>(
        `select u.id::int as id, u.sigla from estruturas u
          where u.orgao_id = $1 and u.pai_id is not null
            and ${AMBIENTES.map((a) => `${habilitada('u', 'envio', a)} and ${habilitada('u', 'recebimento', a)} and not ${centralizadora('u', a)}`).join(' and ')}
            and not exists (select 1 from configuracoes_unidade c where c.estrutura_id = u.id and c.centralizadora_id is not null)
          order by u.id`,
        [await raiz(numero)],
      )
    ).map((u) => ({ ...u, gid: gid('UnidadeAdministrativa', u.id) }));
  /** Everything a configuration change writes: refused changes must leave it as it was. */
  const fotografia = async () =>
    JSON.stringify(
      await rows(
        `select (select count(*)::int from estrutura_eventos) eventos,
                (select coalesce(string_agg(concat_ws(':', estrutura_id, ambiente, habilitada_envio, habilitada_recebimento, centralizadora, centralizadora_id), ',' order by estrutura_id, ambiente), '') from configuracoes_unidade) config,
                (select count(*)::int from tramites) tramites`,
      ),
    );
  const inicio = (remetente: string, destinataria: string, ambiente?: string) => {
    processo += 1;
    return {
      tipo: 'PROCESSO',
      numeroProcesso: `${backend}-ambientes-config-${processo}`,
      unidadeRemetente: remetente,
      unidadeDestinataria: destinataria,
      ...(ambiente ? { ambiente } : {}),
      ...CONTEUDO_DE_DEMO_GQL,
    };
  };

  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('a homologação change leaves produção as it was and a produção change homologação; each logged in its environment', async () => {
    const gestor = await gw.tokenOf(GESTOR_SAUDE);
    const [alvo] = await comuns(NUM_MS);
    const lerModos = async () => (await gw.ok(NOS_DOIS, { id: alvo!.gid }, gestor)).node;
    expect(await lerModos()).toMatchObject({ h: 'ENVIO_E_RECEBIMENTO', p: 'ENVIO_E_RECEBIMENTO', padrao: 'ENVIO_E_RECEBIMENTO' });
    try {
      const emHomologacao = (await gw.ok(MODO, { input: { unidade: alvo!.gid, modo: 'SOMENTE_ENVIO', ambiente: 'HOMOLOGACAO' } }, gestor))
        .r;
      expect(emHomologacao).toEqual({
        __typename: 'ConfiguracaoEstruturaAlterada',
        // The unit as configured: its fields read the environment the change was made in.
        unidades: [{ id: alvo!.gid, modoTramitacao: 'SOMENTE_ENVIO' }],
        eventos: [
          {
            tipo: 'MODO_TRAMITACAO',
            ambiente: 'HOMOLOGACAO',
            antes: { modoTramitacao: 'ENVIO_E_RECEBIMENTO' },
            depois: { modoTramitacao: 'SOMENTE_ENVIO' },
          },
        ],
      });
      expect(await lerModos()).toMatchObject({ h: 'SOMENTE_ENVIO', p: 'ENVIO_E_RECEBIMENTO', padrao: 'ENVIO_E_RECEBIMENTO' });
      // Without `ambiente`: the deployment's (produção here).
      const emProducao = (await gw.ok(MODO, { input: { unidade: alvo!.gid, modo: 'SOMENTE_RECEBIMENTO' } }, gestor)).r;
      expect(emProducao.eventos).toEqual([
        {
          tipo: 'MODO_TRAMITACAO',
          ambiente: 'PRODUCAO',
          antes: { modoTramitacao: 'ENVIO_E_RECEBIMENTO' },
          depois: { modoTramitacao: 'SOMENTE_RECEBIMENTO' },
        },
      ]);
      const depois = await lerModos();
      expect(depois).toMatchObject({ h: 'SOMENTE_ENVIO', p: 'SOMENTE_RECEBIMENTO', aptaH: false, aptaP: true });
      expect(depois.historicoH[0]).toEqual({
        tipo: 'MODO_TRAMITACAO',
        ambiente: 'HOMOLOGACAO',
        depois: { modoTramitacao: 'SOMENTE_ENVIO' },
      });
      expect(depois.historicoP[0]).toEqual({
        tipo: 'MODO_TRAMITACAO',
        ambiente: 'PRODUCAO',
        depois: { modoTramitacao: 'SOMENTE_RECEBIMENTO' },
      });
      expect(depois.historicoH.some((e: { ambiente: string | null }) => e.ambiente === 'PRODUCAO')).toBe(false);
      expect(depois.historicoP.some((e: { ambiente: string | null }) => e.ambiente === 'HOMOLOGACAO')).toBe(false);
    } finally {
      await configurarUnidade(rows, alvo!.id, { envio: true, recebimento: true });
    }
  });

  test('a trâmite in produção to a unit enabled only in homologação is refused, nothing written; in homologação it starts; the readers agree', async () => {
    const spe = await gw.tokenOf(SPE_SAUDE);
    const [origem] = await comuns(NUM_MS);
    const [destino] = await comuns(NUM_MGI);
    await configurarUnidade(rows, destino!.id, { recebimento: false, ambientes: ['PRODUCAO'] });
    try {
      const antes = await fotografia();
      expect((await gw.ok(INICIAR, { input: inicio(origem!.gid, destino!.gid, 'PRODUCAO') }, spe)).r).toEqual({
        __typename: 'ErroUnidadeNaoHabilitada',
        codigo: 'UNIDADE_NAO_HABILITADA',
      });
      // The deployment's default is produção: the same refusal.
      expect((await gw.ok(INICIAR, { input: inicio(origem!.gid, destino!.gid) }, spe)).r.codigo).toBe('UNIDADE_NAO_HABILITADA');
      expect(await fotografia()).toBe(antes);
      const emHomologacao = (await gw.ok(INICIAR, { input: inicio(origem!.gid, destino!.gid, 'HOMOLOGACAO') }, spe)).r;
      expect(emHomologacao.__typename).toBe('TransicaoRealizada');
      expect(await rows('select ambiente from tramites where idt = $1', [emHomologacao.tramite.idt])).toEqual([
        { ambiente: 'HOMOLOGACAO' },
      ]);

      // The search's flag, the tree's filter and the unit's fields read the environment named.
      const BUSCA = `query($b: String, $a: Ambiente) { estruturas(busca: $b, permiteRecebimento: true, ambiente: $a, first: 100) {
        nodes { id habilitadaRecebimento aptaParaReceberTramites } } }`;
      const achadas = async (ambiente: string) =>
        (await gw.ok(BUSCA, { b: destino!.sigla, a: ambiente }, spe)).estruturas.nodes.filter((n: { id: string }) => n.id === destino!.gid);
      expect(await achadas('HOMOLOGACAO')).toEqual([{ id: destino!.gid, habilitadaRecebimento: true, aptaParaReceberTramites: true }]);
      expect(await achadas('PRODUCAO')).toEqual([]);
      const ARVORE = `query($o: ID!, $a: Ambiente) { node(id: $o) { ... on Orgao { todasUnidades(habilitadasPara: RECEBIMENTO, ambiente: $a) { id habilitadaRecebimento } } } }`;
      const naArvore = async (ambiente: string) =>
        (await gw.ok(ARVORE, { o: gid('Orgao', await raiz(NUM_MGI)), a: ambiente }, spe)).node.todasUnidades.filter(
          (u: { id: string }) => u.id === destino!.gid,
        );
      expect(await naArvore('HOMOLOGACAO')).toEqual([{ id: destino!.gid, habilitadaRecebimento: true }]);
      expect(await naArvore('PRODUCAO')).toEqual([]);
    } finally {
      await configurarUnidade(rows, destino!.id, { recebimento: true });
    }
  });

  test('a centralising link in homologação redirects homologação’s trâmites only', async () => {
    const gestora = await gw.tokenOf(GESTORA_MGI);
    const spe = await gw.tokenOf(SPE_SAUDE);
    const [origem] = await comuns(NUM_MS);
    const [central, coberta] = await comuns(NUM_MGI);
    const H = { ambiente: 'HOMOLOGACAO' };
    expect((await gw.ok(CENTRAL, { input: { unidade: central!.gid, centralizadora: true, ...H } }, gestora)).r.__typename).toBe(
      'ConfiguracaoEstruturaAlterada',
    );
    try {
      const cobertura = (await gw.ok(CENTRALIZADAS, { input: { centralizadora: central!.gid, unidades: [coberta!.gid], ...H } }, gestora))
        .r;
      expect(cobertura.eventos).toEqual([
        { tipo: 'UNIDADE_CENTRALIZADORA', ambiente: 'HOMOLOGACAO', antes: expect.any(Object), depois: expect.any(Object) },
      ]);
      const RECEPTORA = `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
        __typename ... on Erro { codigo } ... on TransicaoRealizada { tramite { unidadeReceptora { id } } } } }`;
      const receptora = async (ambiente: string) =>
        (await gw.ok(RECEPTORA, { input: inicio(origem!.gid, coberta!.gid, ambiente) }, spe)).r.tramite.unidadeReceptora;
      expect(await receptora('HOMOLOGACAO')).toEqual({ id: central!.gid });
      expect(await receptora('PRODUCAO')).toBeNull();
      const LINKS = `query($id: ID!) { node(id: $id) { ... on UnidadeAdministrativa {
        h: unidadesCentralizadas(ambiente: HOMOLOGACAO) { id } p: unidadesCentralizadas(ambiente: PRODUCAO) { id } } } }`;
      expect((await gw.ok(LINKS, { id: central!.gid }, gestora)).node).toEqual({ h: [{ id: coberta!.gid }], p: [] });
    } finally {
      await gw.ok(CENTRAL, { input: { unidade: central!.gid, centralizadora: false, ...H } }, gestora);
    }
    expect(await rows(`select 1 from configuracoes_unidade where centralizadora_id = $1`, [central!.id])).toEqual([]);
  });

  test('bad input: another agency’s unit, another agency’s centralising unit, produção before production access: coded, nothing written', async () => {
    const gestor = await gw.tokenOf(GESTOR_SAUDE);
    const [deSaude] = await comuns(NUM_MS);
    const [doMgi] = await comuns(NUM_MGI);
    const antes = await fotografia();
    for (const ambiente of ['HOMOLOGACAO', 'PRODUCAO']) {
      expect((await gw.ok(MODO, { input: { unidade: doMgi!.gid, modo: 'SOMENTE_ENVIO', ambiente } }, gestor)).r.codigo).toBe(
        'UNIDADE_DE_OUTRO_ORGAO',
      );
      const central = await gw.ok(CENTRALIZADAS, { input: { centralizadora: doMgi!.gid, unidades: [deSaude!.gid], ambiente } }, gestor);
      expect(central.r.codigo).toBe('UNIDADE_DE_OUTRO_ORGAO');
    }
    // An agency still in homologação (the demo's TRT18) configures homologação only.
    const trt = demoAccount('gestora.renata@trt18');
    const tokenTrt = await gw.token({ sub: trt.sujeito, orgao: trt.orgao, roles: trt.papeis });
    const [unidadeTrt] = await rows<{ id: number }>(
      `select u.id::int as id from estruturas u join onboardings o on o.orgao_id = u.orgao_id
        where u.pai_id is not null and u.orgao_id = (select id from estruturas where pai_id is null and repositorio_id = $1 and numero_identificacao = $2)
          and o.etapa in ('CONFIGURACAO_ESTRUTURA', 'IMPLANTACAO_HOMOLOGACAO', 'VALIDACAO_HOMOLOGACAO') order by u.id limit 1`,
      [trt.orgao!.repositorio, trt.orgao!.estrutura],
    );
    expect(unidadeTrt).toBeDefined();
    const recusa = (
      await gw.ok(MODO, { input: { unidade: gid('UnidadeAdministrativa', unidadeTrt!.id), modo: 'SOMENTE_ENVIO' } }, tokenTrt)
    ).r;
    expect(recusa).toMatchObject({ __typename: 'ErroAmbienteNaoConfiguravel', codigo: 'AMBIENTE_NAO_CONFIGURAVEL', ambiente: 'PRODUCAO' });
    expect(await fotografia()).toBe(antes);
  });
});
