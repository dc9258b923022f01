// Onboarding over real HTTP (and graphql-ws), on both backends: the demo data replayed against the
// rules; every refused move (wrong stage, wrong role, missing reason, closed gate, bad requirement
// action) with nothing changed; the PEN team's list and who sees what; the checklist updating live
// from real trâmites and resuming from a cursor; and the full path of one agency, from the request to
// production, with its history exactly as acted.
//
// Expectations come from regras.ts, the requirement list in the database and SQL, never from seed
// numbers. The agencies that walk the path here are created with SQL.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHAVE_PUBLICA_SPE_DEMO } from '../src/demo/chaves-spe.js';
import { registrarChavePublicaSpe } from '../src/onboarding/chaves-spe.js';
import { cpfValido } from '../src/onboarding/solicitacao.js';
import { DEMO_CONTAS_ONBOARDING } from '../src/demo/onboarding.js';
import { DEMO_ACCOUNTS, DEMO_UNIDADE_TESTES_PRODUCAO, type DemoAccount } from '../src/demo/seed.js';
import type { Viewer } from '../src/kernel/viewer.js';
import {
  AMBIENTE_DA_ETAPA,
  ETAPA_DOS_REQUISITOS,
  ETAPAS,
  ETAPAS_DA_CONFIGURACAO,
  PASSO_ONBOARDING,
  PASSOS_ONBOARDING,
  REQUISITO_SATISFEITO,
  descricaoDeTeste,
  passosOnboardingAPartirDe,
  podeAgir,
  requisitoAtendidoPorTramite,
  type AcaoOnboarding,
  type Etapa,
} from '../src/onboarding/regras.js';
import type { Ambiente } from '../src/kernel/ambiente.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid, dbId } from './support/ids.js';
import { sleep, waitUntil } from './support/wait.js';
import { wsClient } from './support/ws.js';
import { demoAccount, GESTORA_MGI, GESTOR_SAUDE, SPE_MGI, SPE_SAUDE } from './support/accounts.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { PDF_DE_TESTE, solicitacaoDoOrgao, solicitarAcesso } from './support/onboarding.js';
import { centralizadora, configurarUnidade, habilitada } from './support/configuracao.js';

/** The mutation of each step (src/onboarding/graphql/etapa.ts); the access request is POST /onboarding/solicitacoes. */
type AcaoPorMutacao = Exclude<AcaoOnboarding, 'SOLICITAR_ACESSO'>;
const MUTACAO: Record<AcaoPorMutacao, string> = {
  APROVAR_CADASTRO: 'aprovarCadastro',
  REJEITAR_CADASTRO: 'rejeitarCadastro',
  CONCLUIR_CONFIGURACAO: 'concluirConfiguracaoEstrutura',
  SOLICITAR_VALIDACAO_HOMOLOGACAO: 'solicitarValidacaoHomologacao',
  VALIDAR_HOMOLOGACAO: 'validarHomologacao',
  REPROVAR_HOMOLOGACAO: 'reprovarHomologacao',
  SOLICITAR_VALIDACAO_PRODUCAO: 'solicitarValidacaoProducao',
  VALIDAR_PRODUCAO: 'validarProducao',
  REPROVAR_PRODUCAO: 'reprovarProducao',
};
/** The steps taken through their mutations. */
const PASSOS_POR_MUTACAO = PASSOS_ONBOARDING.filter(
  (p): p is (typeof PASSOS_ONBOARDING)[number] & { acao: AcaoPorMutacao } => p.acao !== 'SOLICITAR_ACESSO',
);
type MutacaoRequisito = 'registrarRequisito' | 'confirmarRequisito' | 'recusarRequisito';

const CAMPOS_EVENTO = 'cursor tipo etapaAnterior etapa ambiente requisito situacaoRequisito evidencia { id } ator motivo ocorridoEm';
const CAMPOS_ONBOARDING = 'orgao { id sigla } etapa ambiente versao iniciadoEm atualizadoEm implantadoEm acoesPermitidas bloqueios';
const RESULTADO = `__typename
  ... on OnboardingAtualizado { onboarding { ${CAMPOS_ONBOARDING} } evento { ${CAMPOS_EVENTO} } }
  ... on Erro { codigo mensagem }
  ... on ErroEtapaInvalida { etapaAtual acoesPossiveis }
  ... on ErroCriteriosNaoAtendidos { pendencias }
  ... on ErroValidacao { problemas { campo mensagem } }`;
const CAMPOS_CHECKLIST =
  'codigo tipo exigido ambiente situacao evidencia { id } evidenciaResumo { idt situacao situacaoAlteradaEm motivoRecusa } nota registradoPor confirmadoPor';
const RESULTADO_TRAMITE = `__typename ... on TransicaoRealizada { tramite { id codigoSituacao } } ... on Erro { codigo mensagem }`;
const SUB_ONBOARDING = `subscription($orgao: ID, $aPartirDe: String) {
  e: eventosOnboarding(orgao: $orgao, aPartirDe: $aPartirDe) { cursor tipo etapa ambiente requisito situacaoRequisito evidencia { id } ator }
}`;

type Resultado = Record<string, any> & { __typename: string };
/** An event as compared: everything but cursor and time. */
type EventoEsperado = {
  tipo: 'ETAPA' | 'REQUISITO' | 'GESTOR_REGISTRADO' | 'CONFIGURACAO_CONFIRMADA';
  etapaAnterior: Etapa | null;
  etapa: Etapa;
  ambiente: Ambiente | null;
  requisito: string | null;
  situacaoRequisito: string | null;
  evidencia: { id: string } | null;
  ator: string;
  motivo: string | null;
};
/** The first gestor de protocolo an access request names (a valid CPF). */
const PRIMEIRO_GESTOR = { nome: 'Marta Teste', cpf: '111.444.777-35', email: 'marta.teste@example.gov.br' };
const semCursor = ({ cursor: _c, ocorridoEm: _o, ...resto }: Record<string, any>) => resto;

interface Requisito {
  codigo: string;
  tipo: string;
  exigido: boolean;
}

interface Lado {
  unidade: number;
  token: string;
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let pen: string;
  let penViewer: Viewer;
  let catalogo: Requisito[];
  let codigoDoTipo: Record<string, string>;
  let configs: string[];
  let disis: number;
  let mgiSpe: string;
  let processo = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);

  const ok = (query: string, variables: Record<string, unknown>, token: string) => gw.ok(query, variables, token);

  const raiz = async (repositorio: number, numero: number) =>
    (
      await rows<{ id: number }>(
        'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
        [repositorio, numero],
      )
    )[0]!.id;
  const raizPorSigla = async (sigla: string) =>
    (await rows<{ id: number }>('select id::int as id from estruturas where sigla = $1 and pai_id is null', [sigla]))[0]!.id;
  // Homologação's configuration: every agency here has one (those still onboarding, only that one).
  const protocolo = async (orgaoId: number) =>
    (
      await rows<{ id: number }>(
        `select id::int as id from estruturas where orgao_id = $1 and pai_id is not null and ${habilitada('estruturas', 'envio', 'HOMOLOGACAO')} and ${habilitada('estruturas', 'recebimento', 'HOMOLOGACAO')} order by ${centralizadora('estruturas', 'HOMOLOGACAO')} desc, id limit 1`,
        [orgaoId],
      )
    )[0]!.id;
  const tokenDe = (conta: DemoAccount) => gw.token({ sub: conta.sujeito, orgao: conta.orgao, roles: conta.papeis });
  const contaDe = demoAccount;
  const gestorViewer = (sujeito: string, orgaoId: number): Viewer => ({ sujeito, orgaoId, papeis: new Set(['GESTOR_PROTOCOLO']) });

  /** One onboarding step, through its mutation. */
  async function passo(acao: AcaoPorMutacao, orgaoId: number, token: string, extra: Record<string, unknown> = {}): Promise<Resultado> {
    const data = await ok(
      `mutation($input: AcaoOnboardingInput!) { r: ${MUTACAO[acao]}(input: $input) { ${RESULTADO} } }`,
      { input: { orgao: gid('Orgao', orgaoId), ...extra } },
      token,
    );
    return data.r;
  }
  async function passoOk(acao: AcaoPorMutacao, orgaoId: number, token: string, extra: Record<string, unknown> = {}): Promise<Resultado> {
    const r = await passo(acao, orgaoId, token, extra);
    expect(r.__typename, `${acao}: ${JSON.stringify(r)}`).toBe('OnboardingAtualizado');
    expect(r.onboarding.etapa).toBe(PASSO_ONBOARDING[acao].para);
    return r;
  }
  /** Several steps in one request, as aliases (each answers for itself; they run in order). */
  async function passos(
    pedidos: Array<{ acao: AcaoPorMutacao; orgaoId: number; extra?: Record<string, unknown> }>,
    token: string,
  ): Promise<Resultado[]> {
    if (pedidos.length === 0) return [];
    const vars: Record<string, unknown> = {};
    const campos = pedidos.map((p, i) => {
      vars[`i${i}`] = { orgao: gid('Orgao', p.orgaoId), ...p.extra };
      return `a${i}: ${MUTACAO[p.acao]}(input: $i${i}) { ${RESULTADO} }`;
    });
    const decl = pedidos.map((_, i) => `$i${i}: AcaoOnboardingInput!`).join(', ');
    const data = await ok(`mutation(${decl}) { ${campos.join('\n')} }`, vars, token);
    return pedidos.map((_, i) => data[`a${i}`] as Resultado);
  }
  async function requisito(
    mutacao: MutacaoRequisito,
    orgaoId: number,
    ambiente: Ambiente,
    codigo: string,
    token: string,
    nota?: string | null,
  ): Promise<Resultado> {
    const data = await ok(
      `mutation($input: RequisitoInput!) { r: ${mutacao}(input: $input) { ${RESULTADO} } }`,
      { input: { orgao: gid('Orgao', orgaoId), ambiente, codigo, ...(nota === undefined ? {} : { nota }) } },
      token,
    );
    return data.r;
  }
  async function lerOnboarding(orgaoId: number, token: string): Promise<Record<string, any> | null> {
    const data = await ok(
      `query($orgao: ID) { onboarding(orgao: $orgao) {
         ${CAMPOS_ONBOARDING}
         h: checklist(ambiente: HOMOLOGACAO) { ${CAMPOS_CHECKLIST} }
         p: checklist(ambiente: PRODUCAO) { ${CAMPOS_CHECKLIST} }
         checklist { codigo ambiente situacao }
         historico { ${CAMPOS_EVENTO} } } }`,
      { orgao: gid('Orgao', orgaoId) },
      token,
    );
    return data.onboarding;
  }
  const item = (o: Record<string, any>, ambiente: Ambiente, codigo: string) =>
    (o[ambiente === 'HOMOLOGACAO' ? 'h' : 'p'] as Array<Record<string, any>>).find((i) => i.codigo === codigo)!;
  /** Events and versions of every onboarding, to show that a refused move changed nothing. */
  const fotografia = async () =>
    rows<{ n: string }>(
      `select ((select count(*) from onboarding_eventos) || '/' || (select coalesce(sum(versao), 0) from onboardings) || '/' ||
               (select count(*) from requisitos_orgao) || '/' || (select string_agg(orgao_id || etapa::text, ',' order by orgao_id) from onboardings)) as n`,
    ).then((r) => r[0]!.n);

  // ---- trâmites, through their mutations

  /** One step as its SPE takes it: the upload, the hashes, the signed receipt, the bare step otherwise. */
  async function passoTramite(
    acao: Parameters<typeof passoComConteudo>[1],
    tramite: string,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    const res = await passoComConteudo(gw.gateway.url, acao, tramite, token, { sucesso: 'tramite { id }', erro: 'codigo mensagem' }, extra);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data.r.__typename, `${acao}: ${JSON.stringify(res.data.r)}`).toBe('TransicaoRealizada');
  }

  /** A trâmite from `de` to `para` driven to 6 (success) or 9 (refused by `para`, acknowledged by `de`). */
  async function tramite(de: Lado, para: Lado, descricao: string, fim: 6 | 9, ambiente: Ambiente): Promise<{ id: number; gid: string }> {
    processo += 1;
    const data = await ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO_TRAMITE} } }`,
      {
        input: {
          tipo: 'PROCESSO',
          ambiente,
          numeroProcesso: `${backend}-onboarding-${processo}`,
          descricao,
          unidadeRemetente: gid('UnidadeAdministrativa', de.unidade),
          unidadeDestinataria: gid('UnidadeAdministrativa', para.unidade),
          ...CONTEUDO_DE_DEMO_GQL,
        },
      },
      de.token,
    );
    expect(data.r.__typename, JSON.stringify(data.r)).toBe('TransicaoRealizada');
    const id: string = data.r.tramite.id;
    await passoTramite('ENVIAR_COMPONENTES_DIGITAIS', id, de.token);
    await passoTramite('RECEBER_METADADOS', id, para.token);
    // The recipient signs its recibo de conclusão with the demo key: its gestor registers it for this environment.
    const [{ orgao }] = (await rows<{ orgao: number }>('select orgao_id::int as orgao from estruturas where id = $1', [para.unidade])) as [
      { orgao: number },
    ];
    await registrarChavePublicaSpe(gw.database.db, {
      viewer: { sujeito: 'teste.gestor', orgaoId: orgao, papeis: new Set(['GESTOR_PROTOCOLO']) },
      chavePublica: CHAVE_PUBLICA_SPE_DEMO,
      ambiente,
      agora: new Date(),
    });
    if (fim === 9) {
      await passoTramite('RECUSAR', id, para.token, { motivo: 'MOTIVO_99', justificativa: 'Recusa de teste do requisito mínimo.' });
      await passoTramite('DAR_CIENCIA_RECUSA', id, de.token);
    } else {
      await passoTramite('RECEBER_COMPONENTES_DIGITAIS', id, para.token);
      await passoTramite('ENVIAR_RECIBO_CONCLUSAO', id, para.token);
      await passoTramite('RECEBER_RECIBO_CONCLUSAO', id, de.token);
    }
    const [t] = await rows<{ situacao: number }>('select situacao::int as situacao from tramites where id = $1', [dbId(id)]);
    expect(t!.situacao).toBe(fim);
    return { id: dbId(id), gid: id };
  }

  /** A new agency (repositório "Governos Estaduais"), with units, by SQL; enabled as told. */
  async function novoOrgao(
    numero: number,
    sigla: string,
    nome: string,
    unidades: Array<{ sigla: string; envio: boolean; recebimento: boolean; central?: boolean }>,
  ) {
    const [r] = await rows<{ id: number }>(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, criada_em) values (9, $1, $2, $3, now()) returning id::int as id`,
      [numero, sigla, nome],
    );
    await rows('update estruturas set orgao_id = id where id = $1', [r!.id]);
    const ids: number[] = [];
    for (const [i, x] of unidades.entries()) {
      const [un] = await rows<{ id: number }>(
        `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id, criada_em)
         values (9, $1, $2, $3, $4, $4, now()) returning id::int as id`,
        [numero * 1000 + i + 1, x.sigla, `${x.sigla} – ${nome}`, r!.id],
      );
      await configurarUnidade(rows, un!.id, { envio: x.envio, recebimento: x.recebimento, centralizadora: x.central ?? false });
      ids.push(un!.id);
    }
    return { id: r!.id, unidades: ids };
  }

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    const contaPen = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'))!;
    pen = await tokenDe(contaPen);
    penViewer = { sujeito: contaPen.sujeito, orgaoId: null, papeis: new Set(contaPen.papeis) };
    catalogo = await rows<Requisito>('select codigo, tipo::text as tipo, exigido from requisitos_minimos order by ordem');
    codigoDoTipo = Object.fromEntries(catalogo.map((r) => [r.tipo, r.codigo]));
    configs = catalogo.filter((r) => r.tipo === 'CONFIGURACAO').map((r) => r.codigo);
    disis = (
      await rows<{ id: number }>('select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2', [
        DEMO_UNIDADE_TESTES_PRODUCAO.repositorio,
        DEMO_UNIDADE_TESTES_PRODUCAO.estrutura,
      ])
    )[0]!.id;
    mgiSpe = await gw.tokenOf(SPE_MGI);
  });

  afterAll(async () => {
    await gw?.close();
  });

  // -------------------------------------------------------------------------------------------------
  // The demo data
  // -------------------------------------------------------------------------------------------------

  test('demo data: every stage present; each history replays through the rules to its stage; versao = events; checklists agree', async () => {
    // Page by page (a page of whole histories and two checklists is priced per onboarding).
    const lista: Array<Record<string, any>> = [];
    for (let after: string | null = null, pagina = 0; pagina < 20; pagina++) {
      const data = await ok(
        `query($after: String) { onboardings(first: 10, after: $after) { pageInfo { hasNextPage endCursor } nodes {
          orgao { id sigla } etapa versao iniciadoEm atualizadoEm implantadoEm bloqueios
          historico { ${CAMPOS_EVENTO} }
          h: checklist(ambiente: HOMOLOGACAO) { ${CAMPOS_CHECKLIST} }
          p: checklist(ambiente: PRODUCAO) { ${CAMPOS_CHECKLIST} } } } }`,
        { after },
        pen,
      );
      lista.push(...data.onboardings.nodes);
      if (!data.onboardings.pageInfo.hasNextPage) break;
      after = data.onboardings.pageInfo.endCursor;
    }
    expect(new Set(lista.map((o) => o.etapa))).toEqual(new Set(ETAPAS));

    for (const o of lista) {
      const nome = o.orgao.sigla as string;
      const historico = o.historico as Array<Record<string, any>>;
      expect(o.versao, nome).toBe(historico.length);
      expect(o.iniciadoEm, nome).toBe(historico[0]!.ocorridoEm);
      expect(o.atualizadoEm, nome).toBe(historico.at(-1)!.ocorridoEm);
      let etapa: Etapa | null = null;
      let implantado: string | null = null;
      const estados = new Map<string, string>();
      for (const [i, e] of historico.entries()) {
        const onde = `${nome} #${i}`;
        if (i > 0) expect(Date.parse(e.ocorridoEm), onde).toBeGreaterThanOrEqual(Date.parse(historico[i - 1]!.ocorridoEm));
        expect(e.etapaAnterior, onde).toBe(etapa);
        if (e.tipo === 'ETAPA') {
          const passo = PASSOS_ONBOARDING.find((p) => p.de.includes(etapa) && p.para === e.etapa);
          expect(passo, `${onde}: ${etapa} → ${e.etapa}`).toBeDefined();
          expect(e.ambiente, onde).toBe(AMBIENTE_DA_ETAPA[e.etapa as Etapa]);
          if (passo!.exigeMotivo) expect(e.motivo?.length, onde).toBeGreaterThan(0);
          expect(e.ator, onde).toEqual(
            passo!.responsavel === 'PEN' ? penViewer.sujeito : expect.not.stringMatching(/^(pen\.admin|tramita-gov-br|spe:)/),
          );
          if (e.etapa === 'EM_PRODUCAO') implantado = e.ocorridoEm;
          etapa = e.etapa;
        } else if (e.tipo === 'GESTOR_REGISTRADO') {
          // Another gestor de protocolo, registered in homologação by one of the agency's own people.
          expect(e.etapa, onde).toBe(etapa);
          expect(e.ambiente, onde).toBe('HOMOLOGACAO');
          expect(e.ator, onde).toEqual(expect.not.stringMatching(/^(pen\.admin|tramita-gov-br|spe:)/));
        } else {
          expect(e.tipo, onde).toBe('REQUISITO');
          expect(e.etapa, onde).toBe(etapa);
          expect(etapa, onde).toBe(ETAPA_DOS_REQUISITOS[e.ambiente as Ambiente]);
          const tipo = catalogo.find((r) => r.codigo === e.requisito)!.tipo;
          if (e.situacaoRequisito === 'ATENDIDO_AUTOMATICAMENTE') {
            expect(tipo, onde).not.toBe('CONFIGURACAO');
            expect(e.ator, onde).toBe('tramita-gov-br');
            expect(e.evidencia, onde).not.toBeNull();
          } else {
            expect(tipo, onde).toBe('CONFIGURACAO');
            expect(e.ator, onde).toEqual(
              e.situacaoRequisito === 'REGISTRADO' ? expect.not.stringMatching(/^(pen\.admin|tramita-gov-br)/) : penViewer.sujeito,
            );
          }
          if (e.situacaoRequisito === 'PENDENTE') estados.delete(`${e.ambiente}:${e.requisito}`);
          else estados.set(`${e.ambiente}:${e.requisito}`, e.situacaoRequisito);
        }
      }
      expect(etapa, nome).toBe(o.etapa);
      expect(o.implantadoEm, nome).toBe(o.etapa === 'EM_PRODUCAO' ? implantado : null);
      // The checklists are what the history says.
      for (const ambiente of ['HOMOLOGACAO', 'PRODUCAO'] as const) {
        for (const i of o[ambiente === 'HOMOLOGACAO' ? 'h' : 'p'] as Array<Record<string, any>>) {
          expect(i.situacao, `${nome} ${ambiente} ${i.codigo}`).toBe(estados.get(`${ambiente}:${i.codigo}`) ?? 'PENDENTE');
        }
      }
      // Past a validation, every required item of that environment is satisfied; a trâmite test only by a trâmite.
      const passou = (desde: Etapa) => ETAPAS.indexOf(o.etapa) >= ETAPAS.indexOf(desde);
      for (const [ambiente, desde] of [
        ['HOMOLOGACAO', 'VALIDACAO_HOMOLOGACAO'],
        ['PRODUCAO', 'VALIDACAO_PRODUCAO'],
      ] as const) {
        if (!passou(desde)) continue;
        for (const i of o[ambiente === 'HOMOLOGACAO' ? 'h' : 'p'] as Array<Record<string, any>>) {
          if (!i.exigido) continue;
          expect(REQUISITO_SATISFEITO, `${nome} ${ambiente} ${i.codigo}`).toContain(i.situacao);
          if (i.tipo !== 'CONFIGURACAO') {
            expect(i.situacao, `${nome} ${ambiente} ${i.codigo}`).toBe('ATENDIDO_AUTOMATICAMENTE');
            expect(i.evidencia, `${nome} ${ambiente} ${i.codigo}`).not.toBeNull();
          }
        }
      }
    }

    // Every evidence trâmite really meets its test, on the agency's side, at the instant recorded; in
    // produção only a test ("TESTE ...") exchanged with the test unit.
    const evidencias = await rows<Record<string, any>>(
      `select r.orgao_id, r.ambiente::text as ambiente, r.codigo, m.tipo::text as tipo, t.situacao::int as situacao, t.descricao,
              t.remetente_orgao_id, t.destinatario_orgao_id, t.remetente_unidade_id, t.destinatario_unidade_id,
              (extract(epoch from t.situacao_alterada_em) * 1000)::float8 as fim, (extract(epoch from r.registrado_em) * 1000)::float8 as registrado
         from requisitos_orgao r join requisitos_minimos m using (codigo) join tramites t on t.id = r.evidencia_tramite_id`,
    );
    expect(evidencias.length).toBeGreaterThan(0);
    for (const ev of evidencias) {
      const lado = ev.remetente_orgao_id === ev.orgao_id ? 'REMETENTE' : 'DESTINATARIO';
      expect(lado === 'REMETENTE' || ev.destinatario_orgao_id === ev.orgao_id).toBe(true);
      expect(requisitoAtendidoPorTramite(ev.situacao, lado), JSON.stringify(ev)).toBe(ev.tipo);
      expect(ev.fim).toBe(ev.registrado);
      if (ev.ambiente === 'PRODUCAO') {
        expect(lado === 'REMETENTE' ? ev.destinatario_unidade_id : ev.remetente_unidade_id, JSON.stringify(ev)).toBe(disis);
        expect(descricaoDeTeste(ev.descricao), JSON.stringify(ev)).toBe(true);
      }
    }

    // Goiás in production access: its seeded tests with DISIS met a, b, c; the configuration items it has
    // not done are not required (today's list), so nothing blocks its request for validation.
    const go = lista.find((o) => o.orgao.sigla === 'GOV-GO')!;
    expect(go.etapa).toBe('ACESSO_PRODUCAO');
    const testesGo = await rows<{ id: number }>(
      `select id::int as id from tramites where descricao = 'TESTE – Governo do Estado de Goiás' and $1 in (remetente_unidade_id, destinatario_unidade_id) order by id`,
      [disis],
    );
    const evidenciasGo = (go.p as Array<Record<string, any>>).filter((i) => i.tipo !== 'CONFIGURACAO').map((i) => dbId(i.evidencia.id));
    expect(new Set(evidenciasGo)).toEqual(new Set(testesGo.map((t) => t.id)));
    // Its requirements are all met; what is left is confirming the produção configuration replicated from homologação.
    expect(go.bloqueios.filter((b: string) => b.startsWith('requisito '))).toEqual([]);
    expect(go.bloqueios.at(-1)).toBe('confirmar a configuração de produção (replicada da homologação)');

    // Every demo gestor account is a gestor de protocolo of its agency, in each environment whose configuration the agency
    // keeps at its stage (both for an agency that predates onboarding); its name is the account's.
    for (const conta of [...DEMO_ACCOUNTS, ...DEMO_CONTAS_ONBOARDING].filter((a) => a.papeis.includes('GESTOR_PROTOCOLO') && a.orgao)) {
      const id = await raiz(conta.orgao!.repositorio, conta.orgao!.estrutura);
      const [o] = await rows<{ etapa: Etapa }>('select etapa::text as etapa from onboardings where orgao_id = $1', [id]);
      const esperados = (['HOMOLOGACAO', 'PRODUCAO'] as const).filter((a) => !o || ETAPAS_DA_CONFIGURACAO[a].includes(o.etapa));
      const primeiroNome = conta.sujeito.replace(/^gestora?\./, '').replace(/@.*$/, '');
      const registrados = await rows<{ ambiente: string; cpf: string }>(
        `select ambiente::text as ambiente, cpf from gestores_protocolo where orgao_id = $1 and lower(nome) like $2 || ' %' order by ambiente`,
        [id, primeiroNome],
      );
      expect(
        registrados.map((g) => g.ambiente),
        conta.sujeito,
      ).toEqual(esperados);
      for (const g of registrados) expect(cpfValido(g.cpf), conta.sujeito).toBe(true);
    }

    // One log, in time order.
    expect(
      (
        await rows<{ n: number }>(
          'select count(*)::int as n from onboarding_eventos a join onboarding_eventos b on b.seq > a.seq where b.ocorrido_em < a.ocorrido_em',
        )
      )[0]!.n,
    ).toBe(0);
  });

  // -------------------------------------------------------------------------------------------------
  // Refused moves: nothing changes
  // -------------------------------------------------------------------------------------------------

  describe('refused moves', () => {
    /** An agency in each stage (null: no request yet) with its gestor's account. */
    async function agenciaPorEtapa(): Promise<Map<Etapa | null, { id: number; conta: DemoAccount }>> {
      const mapa = new Map<Etapa | null, { id: number; conta: DemoAccount }>();
      for (const conta of [...DEMO_ACCOUNTS, ...DEMO_CONTAS_ONBOARDING]) {
        if (!conta.orgao || !conta.papeis.includes('GESTOR_PROTOCOLO')) continue;
        const id = await raiz(conta.orgao.repositorio, conta.orgao.estrutura);
        const [o] = await rows<{ etapa: Etapa }>('select etapa::text as etapa from onboardings where orgao_id = $1', [id]);
        const etapa = o?.etapa ?? null;
        if (!mapa.has(etapa)) mapa.set(etapa, { id, conta });
      }
      return mapa;
    }

    test('every step from a stage it does not start from: ErroEtapaInvalida with the stage and what the viewer may do', async () => {
      const antes = await fotografia();
      const mapa = await agenciaPorEtapa();
      expect([...mapa.keys()].sort()).toEqual([null, ...ETAPAS].sort());
      let feitos = 0;
      for (const [etapa, ag] of mapa) {
        const gestor = await tokenDe(ag.conta);
        const viewerGestor = gestorViewer(ag.conta.sujeito, ag.id);
        for (const [token, viewer, responsavel] of [
          [gestor, viewerGestor, 'ORGAO'],
          [pen, penViewer, 'PEN'],
        ] as const) {
          const errados = PASSOS_POR_MUTACAO.filter((p) => p.responsavel === responsavel && !p.de.includes(etapa));
          const respostas = await passos(
            errados.map((p) => ({ acao: p.acao, orgaoId: ag.id, extra: { motivo: 'Motivo de teste.' } })),
            token,
          );
          const possiveis = passosOnboardingAPartirDe(etapa)
            .filter((p) => podeAgir(viewer, p.responsavel, ag.id))
            .map((p) => p.acao);
          respostas.forEach((r, i) => {
            expect(r, `${errados[i]!.acao} from ${etapa}`).toMatchObject({
              __typename: 'ErroEtapaInvalida',
              codigo: 'ETAPA_INVALIDA',
              etapaAtual: etapa,
              acoesPossiveis: possiveis,
            });
          });
          feitos += respostas.length;
        }
        // The access request (over HTTP, with its content) from a stage past it: an open request, or one already approved.
        if (!PASSO_ONBOARDING.SOLICITAR_ACESSO.de.includes(etapa)) {
          const r = await solicitarAcesso(gw, solicitacaoDoOrgao(ag.conta.orgao!, PRIMEIRO_GESTOR), PDF_DE_TESTE, gestor);
          expect({ etapa, status: r.status, erro: r.body.erro?.codigo }).toEqual({
            etapa,
            status: 422,
            erro: etapa === 'ANALISE_CADASTRO' ? 'SOLICITACAO_EM_ABERTO' : 'ORGAO_JA_EM_PRODUCAO',
          });
          feitos += 1;
        }
      }
      expect(feitos).toBeGreaterThan(50);
      expect(await fotografia()).toBe(antes);
    });

    test('every step by the wrong role: ErroPapelNaoPermitido (a gestor approving, PEN asking for the agency, another agency’s gestor, an SPE)', async () => {
      const antes = await fotografia();
      const pi = DEMO_CONTAS_ONBOARDING.find((c) => c.sujeito === 'gestor.marcos@pi')!;
      const piId = await raiz(pi.orgao!.repositorio, pi.orgao!.estrutura);
      const gestorPi = await tokenDe(pi);
      const spePi = await gw.token({ sub: 'spe:sei.pi.gov.br', orgao: pi.orgao, roles: ['SPE'] });
      const gestorOutro = await gw.tokenOf(GESTOR_SAUDE);
      for (const p of PASSOS_POR_MUTACAO) {
        const errados = p.responsavel === 'ORGAO' ? { pen, spePi, gestorOutro } : { gestorPi, spePi };
        for (const [quem, token] of Object.entries(errados)) {
          const r = await passo(p.acao, piId, token, { motivo: 'Motivo de teste.' });
          expect(r, `${p.acao} by ${quem}`).toMatchObject({ __typename: 'ErroPapelNaoPermitido', codigo: 'PAPEL_NAO_PERMITIDO' });
        }
      }
      // The access request (over HTTP) for PI and for an agency with no request yet (MGI): PEN, the SPE or another
      // agency's gestor cannot ask for it.
      const mgi = demoAccount(GESTORA_MGI).orgao!;
      for (const [orgao, tokens] of [
        [pi.orgao!, { pen, spePi, gestorOutro }],
        [mgi, { pen, mgiSpe, gestorPi }],
      ] as const) {
        for (const [quem, token] of Object.entries(tokens)) {
          const r = await solicitarAcesso(gw, solicitacaoDoOrgao(orgao, PRIMEIRO_GESTOR), PDF_DE_TESTE, token);
          expect({ quem, status: r.status, erro: r.body.erro?.codigo }).toEqual({ quem, status: 403, erro: 'PAPEL_NAO_PERMITIDO' });
        }
      }
      // Requirements: the agency registers, PEN confirms or sends back.
      const trt = DEMO_CONTAS_ONBOARDING.find((c) => c.sujeito === 'gestora.renata@trt18')!;
      const trtId = await raiz(trt.orgao!.repositorio, trt.orgao!.estrutura);
      const gestorTrt = await tokenDe(trt);
      expect((await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', configs.at(-1)!, pen, 'Evidência.')).__typename).toBe(
        'ErroPapelNaoPermitido',
      );
      expect((await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', configs.at(-1)!, gestorPi, 'Evidência.')).__typename).toBe(
        'ErroPapelNaoPermitido',
      );
      expect((await requisito('confirmarRequisito', trtId, 'HOMOLOGACAO', configs[1]!, gestorTrt)).__typename).toBe(
        'ErroPapelNaoPermitido',
      );
      expect((await requisito('recusarRequisito', trtId, 'HOMOLOGACAO', configs[1]!, gestorTrt, 'Motivo.')).__typename).toBe(
        'ErroPapelNaoPermitido',
      );
      expect(await fotografia()).toBe(antes);
    });

    test('rejecting or sending back without a reason (absent, blank, too long): ErroValidacao on motivo', async () => {
      const antes = await fotografia();
      const etapaDe = async (etapa: Etapa) =>
        (await rows<{ id: number }>('select orgao_id::int as id from onboardings where etapa = $1 limit 1', [etapa]))[0]!.id;
      for (const [acao, etapa] of [
        ['REJEITAR_CADASTRO', 'ANALISE_CADASTRO'],
        ['REPROVAR_HOMOLOGACAO', 'VALIDACAO_HOMOLOGACAO'],
        ['REPROVAR_PRODUCAO', 'VALIDACAO_PRODUCAO'],
      ] as const) {
        const id = await etapaDe(etapa);
        for (const motivo of [undefined, null, '   ', 'x'.repeat(1_001)]) {
          const r = await passo(acao, id, pen, motivo === undefined ? {} : { motivo });
          expect(r, `${acao} motivo=${JSON.stringify(motivo)?.slice(0, 20)}`).toMatchObject({
            __typename: 'ErroValidacao',
            problemas: [{ campo: 'motivo' }],
          });
        }
      }
      expect(await fotografia()).toBe(antes);
    });

    test('requirement actions: a trâmite test cannot be registered by hand; only a registered item is confirmed or sent back; wrong stage; no onboarding', async () => {
      const antes = await fotografia();
      const trt = DEMO_CONTAS_ONBOARDING.find((c) => c.sujeito === 'gestora.renata@trt18')!;
      const trtId = await raiz(trt.orgao!.repositorio, trt.orgao!.estrutura);
      const gestorTrt = await tokenDe(trt);
      const situacoes = new Map(
        (
          await rows<{ codigo: string; situacao: string }>(
            `select codigo, situacao::text as situacao from requisitos_orgao where orgao_id = $1 and ambiente = 'HOMOLOGACAO'`,
            [trtId],
          )
        ).map((r) => [r.codigo, r.situacao]),
      );
      const pendente = configs.find((c) => !situacoes.has(c))!;
      const confirmado = configs.find((c) => situacoes.get(c) === 'CONFIRMADO')!;
      expect(pendente && confirmado).toBeTruthy();
      const validacao = (r: Resultado, campo: string) =>
        expect(r, JSON.stringify(r)).toMatchObject({ __typename: 'ErroValidacao', problemas: [{ campo }] });

      for (const tipo of ['TRAMITE_ENVIADO_COM_SUCESSO', 'TRAMITE_RECEBIDO_COM_SUCESSO', 'RECUSA_COMO_DESTINATARIO']) {
        const r = await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', codigoDoTipo[tipo]!, gestorTrt, 'Fiz o teste.');
        validacao(r, 'codigo');
        expect(r.problemas[0].mensagem).toMatch(/automaticamente/);
      }
      validacao(await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', 'z', gestorTrt, 'Evidência.'), 'codigo');
      validacao(await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', pendente, gestorTrt), 'nota');
      validacao(await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', pendente, gestorTrt, '  '), 'nota');
      validacao(await requisito('registrarRequisito', trtId, 'HOMOLOGACAO', confirmado, gestorTrt, 'De novo.'), 'codigo');
      validacao(await requisito('confirmarRequisito', trtId, 'HOMOLOGACAO', pendente, pen), 'codigo');
      validacao(await requisito('recusarRequisito', trtId, 'HOMOLOGACAO', pendente, pen, 'Motivo.'), 'codigo');
      validacao(
        await requisito('recusarRequisito', trtId, 'HOMOLOGACAO', configs.find((c) => situacoes.get(c) === 'REGISTRADO') ?? pendente, pen),
        'nota',
      );
      // Not even a requirement code: refused as bad input, before anything runs.
      const res = await gw.gql(
        'mutation($input: RequisitoInput!) { registrarRequisito(input: $input) { __typename } }',
        { input: { orgao: gid('Orgao', trtId), ambiente: 'HOMOLOGACAO', codigo: 'AB', nota: 'Evidência.' } },
        gestorTrt,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.codigo' });

      // Produção requirements are not open in implantação; no requirement is open in configuração.
      const etapa = (r: Resultado) =>
        expect(r, JSON.stringify(r)).toMatchObject({ __typename: 'ErroEtapaInvalida', etapaAtual: expect.any(String) });
      etapa(await requisito('registrarRequisito', trtId, 'PRODUCAO', pendente, gestorTrt, 'Evidência.'));
      const al = DEMO_CONTAS_ONBOARDING.find((c) => c.sujeito === 'gestor.tiago@al')!;
      etapa(
        await requisito(
          'registrarRequisito',
          await raiz(al.orgao!.repositorio, al.orgao!.estrutura),
          'HOMOLOGACAO',
          pendente,
          await tokenDe(al),
          'Evidência.',
        ),
      );
      // An agency that never asked for access.
      const mgi = await raizPorSigla('MGI');
      expect(
        await requisito('registrarRequisito', mgi, 'HOMOLOGACAO', pendente, await gw.tokenOf(GESTORA_MGI), 'Evidência.'),
      ).toMatchObject({
        __typename: 'ErroOnboardingNaoEncontrado',
      });
      expect(await fotografia()).toBe(antes);
    });

    test('PEN sends back a confirmed configuration item: it is pending again, with the reason in the history', async () => {
      const trt = DEMO_CONTAS_ONBOARDING.find((c) => c.sujeito === 'gestora.renata@trt18')!;
      const trtId = await raiz(trt.orgao!.repositorio, trt.orgao!.estrutura);
      const situacoes = new Map(
        (
          await gw.database.rows<{ codigo: string; situacao: string }>(
            `select codigo, situacao from requisitos_orgao where orgao_id = $1 and ambiente = 'HOMOLOGACAO'`,
            [trtId],
          )
        ).map((r) => [r.codigo, r.situacao]),
      );
      const confirmado = [...situacoes].find(([, situacao]) => situacao === 'CONFIRMADO')![0];
      const motivo = 'A evidência não mostra o mapeamento completo.';
      expect(await requisito('recusarRequisito', trtId, 'HOMOLOGACAO', confirmado, pen, motivo)).toMatchObject({
        __typename: 'OnboardingAtualizado',
      });
      const restantes = await gw.database.rows<{ n: number }>(
        `select count(*)::int as n from requisitos_orgao where orgao_id = $1 and ambiente = 'HOMOLOGACAO' and codigo = $2`,
        [trtId, confirmado],
      );
      expect(restantes[0]!.n).toBe(0);
      const [ultimo] = await gw.database.rows<{ requisito: string; situacao_requisito: string; motivo: string }>(
        `select requisito, situacao_requisito, motivo from onboarding_eventos where orgao_id = $1 order by seq desc limit 1`,
        [trtId],
      );
      expect(ultimo).toEqual({ requisito: confirmado, situacao_requisito: 'PENDENTE', motivo });
    });
  });

  // -------------------------------------------------------------------------------------------------
  // Gates
  // -------------------------------------------------------------------------------------------------

  describe('gates: ErroCriteriosNaoAtendidos names what is missing', () => {
    test('concluding the structure needs a unit enabled to send and one to receive', async () => {
      const rr = await novoOrgao(14, 'GOV-RR', 'Governo do Estado de Roraima', [
        { sigla: 'PROTOCOLO-RR', envio: false, recebimento: false, central: true },
        { sigla: 'SESAU-RR', envio: false, recebimento: false },
      ]);
      const gestor = await gw.token({ sub: 'gestor.teste@rr', orgao: { repositorio: 9, estrutura: 14 }, roles: ['GESTOR_PROTOCOLO'] });
      expect(
        await solicitarAcesso(gw, solicitacaoDoOrgao({ repositorio: 9, estrutura: 14 }, PRIMEIRO_GESTOR), PDF_DE_TESTE, gestor),
      ).toMatchObject({
        status: 201,
        body: { onboarding: { etapa: 'ANALISE_CADASTRO' } },
      });
      await passoOk('APROVAR_CADASTRO', rr.id, pen);
      const ENVIO = 'definir ao menos uma unidade habilitada para envio';
      const RECEBIMENTO = 'definir ao menos uma unidade habilitada para recebimento';
      expect(await passo('CONCLUIR_CONFIGURACAO', rr.id, gestor)).toMatchObject({
        __typename: 'ErroCriteriosNaoAtendidos',
        codigo: 'CRITERIOS_NAO_ATENDIDOS',
        pendencias: [ENVIO, RECEBIMENTO],
      });
      expect((await lerOnboarding(rr.id, gestor))!.bloqueios).toEqual([ENVIO, RECEBIMENTO]);
      await configurarUnidade(rows, rr.unidades[0]!, { envio: true });
      expect(await passo('CONCLUIR_CONFIGURACAO', rr.id, gestor)).toMatchObject({
        __typename: 'ErroCriteriosNaoAtendidos',
        pendencias: [RECEBIMENTO],
      });
      await configurarUnidade(rows, rr.unidades[1]!, { recebimento: true });
      expect((await lerOnboarding(rr.id, gestor))!.bloqueios).toEqual([]);
      const r = await passoOk('CONCLUIR_CONFIGURACAO', rr.id, gestor);
      expect(r.onboarding).toMatchObject({ etapa: 'IMPLANTACAO_HOMOLOGACAO', versao: 3 });
    });

    /** The required items of an environment not yet satisfied for an agency, from SQL. */
    async function faltam(orgaoId: number, ambiente: Ambiente): Promise<Array<{ codigo: string; situacao: string | null }>> {
      return rows(
        `select m.codigo, r.situacao::text as situacao from requisitos_minimos m
           left join requisitos_orgao r on r.codigo = m.codigo and r.orgao_id = $1 and r.ambiente = $2
          where m.exigido and (r.situacao is null or r.situacao not in ('CONFIRMADO', 'ATENDIDO_AUTOMATICAMENTE')) order by m.ordem`,
        [orgaoId, ambiente],
      );
    }
    const pendenciasEsperadas = (itens: Array<{ codigo: string; situacao: string | null }>, ambiente: Ambiente) =>
      itens.map((i) =>
        expect.stringMatching(
          new RegExp(
            `^requisito ${i.codigo} em ${ambiente.toLowerCase()} \\(.*\\)${i.situacao === 'REGISTRADO' ? ': aguardando confirmação do PEN' : ''}$`,
          ),
        ),
      );

    test('asking for validation in homologação (TRT18) with requirements pending', async () => {
      const antes = await fotografia();
      for (const [sujeito, acao, ambiente] of [['gestora.renata@trt18', 'SOLICITAR_VALIDACAO_HOMOLOGACAO', 'HOMOLOGACAO']] as const) {
        const conta = contaDe(sujeito);
        const id = await raiz(conta.orgao!.repositorio, conta.orgao!.estrutura);
        const itens = await faltam(id, ambiente);
        expect(itens.length, sujeito).toBeGreaterThan(0);
        const r = await passo(acao, id, await tokenDe(conta));
        expect(r, sujeito).toMatchObject({ __typename: 'ErroCriteriosNaoAtendidos', pendencias: pendenciasEsperadas(itens, ambiente) });
        expect(r.pendencias).toHaveLength(itens.length);
        // The same list is what blocks the agency in PEN's view.
        expect((await lerOnboarding(id, pen))!.bloqueios).toEqual(r.pendencias);
      }
      expect(await fotografia()).toBe(antes);
    });

    test('the list is data: a new required item closes both validation gates until it is done', async () => {
      const icmbio = await raizPorSigla('ICMBio');
      const iphan = await raizPorSigla('IPHAN');
      expect(await faltam(icmbio, 'HOMOLOGACAO')).toEqual([]);
      expect(await faltam(iphan, 'PRODUCAO')).toEqual([]);
      const antes = await fotografia();
      await rows(
        `insert into requisitos_minimos (codigo, ordem, descricao, tipo, exigido) values ('j', 10, 'Requisito novo de teste', 'CONFIGURACAO', true)`,
      );
      try {
        expect(await passo('VALIDAR_HOMOLOGACAO', icmbio, pen)).toMatchObject({
          __typename: 'ErroCriteriosNaoAtendidos',
          pendencias: ['requisito j em homologacao (Requisito novo de teste)'],
        });
        expect(await passo('VALIDAR_PRODUCAO', iphan, pen)).toMatchObject({
          __typename: 'ErroCriteriosNaoAtendidos',
          pendencias: ['requisito j em producao (Requisito novo de teste)'],
        });
        expect((await lerOnboarding(iphan, pen))!.p.find((i: Record<string, any>) => i.codigo === 'j')).toMatchObject({
          situacao: 'PENDENTE',
          exigido: true,
        });
      } finally {
        await rows(`delete from requisitos_minimos where codigo = 'j'`);
      }
      expect(await fotografia()).toBe(antes);
      expect((await lerOnboarding(icmbio, pen))!.bloqueios).toEqual(['aguardando validação da equipe do PEN']);
    });
  });

  // -------------------------------------------------------------------------------------------------
  // Who sees what; PEN's list
  // -------------------------------------------------------------------------------------------------

  test('PEN lists onboardings by stage and environment, oldest change first, with what blocks each', async () => {
    const lista = async (args: string) =>
      (
        (
          await ok(
            `{ onboardings(first: 100 ${args.replace(/^\(|\)$/g, '')}) { nodes { orgao { id } etapa ambiente bloqueios } } }`,
            {},
            pen,
          )
        ).onboardings.nodes as Array<Record<string, any>>
      ).map((o): Record<string, any> => ({ ...o, orgao: dbId(o.orgao.id) }));
    const sql = async (where: string) =>
      (await rows<{ id: number }>(`select orgao_id::int as id from onboardings where ${where} order by atualizado_em, orgao_id`)).map(
        (r) => r.id,
      );

    expect((await lista('')).map((o) => o.orgao)).toEqual(await sql('true'));
    expect((await lista('(etapas: [ANALISE_CADASTRO, CADASTRO_REJEITADO])')).map((o) => o.orgao)).toEqual(
      await sql(`etapa in ('ANALISE_CADASTRO', 'CADASTRO_REJEITADO')`),
    );
    const producao = await lista('(ambiente: PRODUCAO)');
    expect(producao.map((o) => o.orgao)).toEqual(await sql(`etapa in ('ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO')`));
    expect(producao.every((o) => o.ambiente === 'PRODUCAO')).toBe(true);
    expect((await lista('(etapas: [ANALISE_CADASTRO, EM_PRODUCAO], ambiente: PRODUCAO)')).map((o) => o.orgao)).toEqual(
      await sql(`etapa = 'EM_PRODUCAO'`),
    );
    expect(await lista('(etapas: [ANALISE_CADASTRO], ambiente: PRODUCAO)')).toEqual([]);

    // What blocks each, by stage (the seeded agencies).
    for (const o of await lista('')) {
      if (o.etapa === 'ANALISE_CADASTRO') expect(o.bloqueios).toEqual(['aguardando a equipe do PEN']);
      if (o.etapa === 'CADASTRO_REJEITADO' || o.etapa === 'EM_PRODUCAO') expect(o.bloqueios).toEqual([]);
      if (o.etapa === 'VALIDACAO_HOMOLOGACAO' || o.etapa === 'VALIDACAO_PRODUCAO')
        expect(o.bloqueios).toEqual(['aguardando validação da equipe do PEN']);
      // An agency doing its requirements is blocked by required items (Goiás in produção has met them all) and, in
      // produção, by its replicated configuration until it confirms it (no demo agency there has yet).
      const outros = o.bloqueios.filter((b: string) => !b.startsWith('requisito '));
      if (o.etapa === 'IMPLANTACAO_HOMOLOGACAO') expect(outros).toEqual([]);
      if (o.etapa === 'ACESSO_PRODUCAO') expect(outros.at(-1)).toBe('confirmar a configuração de produção (replicada da homologação)');
      if (o.etapa === 'IMPLANTACAO_HOMOLOGACAO') expect(o.bloqueios.length).toBeGreaterThan(0);
    }
  });

  test('a gestor sees its own onboarding only: another agency’s is FORBIDDEN, and so is PEN’s list', async () => {
    const go = contaDe('gestora.juliana@go');
    const tokenGo = await tokenDe(go);
    const goId = await raiz(go.orgao!.repositorio, go.orgao!.estrutura);
    const proprio = await ok('{ onboarding { orgao { id } etapa acoesPermitidas } }', {}, tokenGo);
    expect(proprio.onboarding).toMatchObject({
      orgao: { id: gid('Orgao', goId) },
      etapa: 'ACESSO_PRODUCAO',
      acoesPermitidas: ['SOLICITAR_VALIDACAO_PRODUCAO'],
    });
    const ms = await raizPorSigla('MS');
    for (const [query, vars] of [
      ['query($o: ID) { onboarding(orgao: $o) { etapa } }', { o: gid('Orgao', ms) }],
      ['{ onboardings { nodes { etapa } } }', {}],
    ] as const) {
      const res = await gw.gql(query, vars, tokenGo);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
    // The agency's SPE follows its agency too; PEN must name the agency.
    const spe = await gw.token({ sub: 'spe:sei.go.gov.br', orgao: go.orgao, roles: ['SPE'] });
    expect((await ok('{ onboarding { etapa } }', {}, spe)).onboarding.etapa).toBe('ACESSO_PRODUCAO');
    expect((await gw.gql('{ onboarding { etapa } }', {}, pen)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'orgao',
    });
    expect((await ok('query($o: ID) { onboarding(orgao: $o) { etapa } }', { o: gid('Orgao', ms) }, pen)).onboarding.etapa).toBe(
      'EM_PRODUCAO',
    );
    // An agency that never asked: null.
    expect((await ok('{ onboarding { etapa } }', {}, await gw.tokenOf(GESTORA_MGI))).onboarding).toBeNull();
  });

  test('an onboarding is a node: node(id:) answers it to its agency and to PEN, null to another agency', async () => {
    const go = contaDe('gestora.juliana@go');
    const tokenGo = await tokenDe(go);
    const goId = await raiz(go.orgao!.repositorio, go.orgao!.estrutura);
    const { onboarding } = await ok('{ onboarding { id etapa } }', {}, tokenGo);
    expect(onboarding).toEqual({ id: gid('Onboarding', goId), etapa: 'ACESSO_PRODUCAO' });
    const query = 'query($id: ID!) { node(id: $id) { __typename ... on Onboarding { etapa orgao { id } } } }';
    const esperado = { __typename: 'Onboarding', etapa: 'ACESSO_PRODUCAO', orgao: { id: gid('Orgao', goId) } };
    expect((await ok(query, { id: onboarding.id }, tokenGo)).node).toEqual(esperado);
    expect((await ok(query, { id: onboarding.id }, pen)).node).toEqual(esperado);
    const outra = DEMO_CONTAS_ONBOARDING.find((c) => c.orgao && c.orgao.estrutura !== go.orgao!.estrutura)!;
    expect((await ok(query, { id: onboarding.id }, await tokenDe(outra))).node).toBeNull();
    // An agency with no onboarding row: null, like any missing node.
    const mgi = await raiz(1, 115826);
    expect((await ok(query, { id: gid('Onboarding', mgi) }, pen)).node).toBeNull();
  });

  // -------------------------------------------------------------------------------------------------
  // Live checklist
  // -------------------------------------------------------------------------------------------------

  test('the checklist updates live from real trâmites; resuming with aPartirDe returns the missed events', async () => {
    const trt = contaDe('gestora.renata@trt18');
    const trtId = await raiz(trt.orgao!.repositorio, trt.orgao!.estrutura);
    // Trâmites are the agencies' SPEs' acts; the checklist is read with the gestor's token.
    const tokenTrt = await tokenDe(trt);
    const speTrt = await gw.token({ sub: 'spe:sei.trt18.jus.br', orgao: trt.orgao, roles: ['SPE'] });
    const ladoTrt: Lado = { unidade: await protocolo(trtId), token: speTrt };
    const ms = await raizPorSigla('MS');
    const ladoMs: Lado = { unidade: await protocolo(ms), token: await gw.tokenOf(SPE_SAUDE) };
    const codB = codigoDoTipo.TRAMITE_RECEBIDO_COM_SUCESSO!;
    const codC = codigoDoTipo.RECUSA_COMO_DESTINATARIO!;
    const [antes] = await rows<{ n: number }>(
      `select count(*)::int as n from requisitos_orgao where orgao_id = $1 and ambiente = 'HOMOLOGACAO' and codigo in ($2, $3)`,
      [trtId, codB, codC],
    );
    expect(antes!.n).toBe(0);
    const bus = gw.gateway.feeds.onboarding;

    function assinar(variables: Record<string, unknown>) {
      const recebidos: Array<Record<string, any>> = [];
      const erros: unknown[] = [];
      const client = wsClient(gw.gateway.url, `Bearer ${tokenTrt}`);
      const cancelar = client.subscribe<{ e: Record<string, any> }>(
        { query: SUB_ONBOARDING, variables },
        {
          next: (r) => {
            if (r.errors) erros.push(...r.errors);
            if (r.data?.e) recebidos.push(r.data.e);
          },
          error: (e) => erros.push(e),
          complete: () => {},
        },
      );
      const receber = async (n: number) => {
        await waitUntil(
          `${n} onboarding events (got ${recebidos.length}, errors ${JSON.stringify(erros)})`,
          () => erros.length > 0 || recebidos.length >= n,
        );
        expect(erros).toEqual([]);
        return recebidos.slice(0, n);
      };
      return { recebidos, receber, fechar: async () => (cancelar(), await client.dispose()) };
    }
    const ultimoSeq = async () =>
      Number((await rows<{ s: string | null }>('select max(seq)::text as s from onboarding_eventos'))[0]!.s ?? 0);

    const ao = assinar({});
    await waitUntil('the subscriber on the bus', () => bus.assinantes === 1);
    const marco = await ultimoSeq();
    await waitUntil('the bus to catch up with the log', () => bus.posicao >= marco);

    // (b) received with success: MS → TRT18, 6.
    const recebido = await tramite(ladoMs, ladoTrt, 'Ofício nº 7/2026 – teste de recebimento', 6, 'HOMOLOGACAO');
    const [evB] = await ao.receber(1);
    expect(evB).toMatchObject({
      tipo: 'REQUISITO',
      etapa: 'IMPLANTACAO_HOMOLOGACAO',
      ambiente: 'HOMOLOGACAO',
      requisito: codB,
      situacaoRequisito: 'ATENDIDO_AUTOMATICAMENTE',
      evidencia: { id: recebido.gid },
      ator: 'tramita-gov-br',
    });
    await sleep(300);
    expect(ao.recebidos).toHaveLength(1);
    await ao.fechar();
    await waitUntil('the subscriber to leave', () => bus.assinantes === 0);

    // (c) a refusal as destinatário, while nobody listens: missed, then resumed.
    const recusado = await tramite(ladoMs, ladoTrt, 'Ofício nº 8/2026 – teste de recusa', 9, 'HOMOLOGACAO');
    const seqs = (
      await rows<{ seq: string }>('select seq::text as seq from onboarding_eventos where orgao_id = $1 and seq > $2 order by seq', [
        trtId,
        Number(evB!.cursor),
      ])
    ).map((r) => r.seq);
    expect(seqs).toHaveLength(1);
    const retomada = assinar({ aPartirDe: evB!.cursor });
    const [evC] = await retomada.receber(1);
    expect(evC).toMatchObject({ cursor: seqs[0], requisito: codC, situacaoRequisito: 'ATENDIDO_AUTOMATICAMENTE', ator: 'tramita-gov-br' });
    // The refused trâmite is the remetente's only (acesso.ts): the agency does not see the evidence; PEN does.
    expect(evC!.evidencia).toBeNull();
    const visto = (await lerOnboarding(trtId, pen))!.h.find((i: Record<string, any>) => i.codigo === codC);
    expect(visto.evidencia).toEqual({ id: recusado.gid });
    await sleep(300);
    expect(retomada.recebidos).toHaveLength(1);
    await retomada.fechar();
  });

  // -------------------------------------------------------------------------------------------------
  // The full path of one agency
  // -------------------------------------------------------------------------------------------------

  describe('the full path of one agency, from the request to production, over HTTP', () => {
    const NOME = 'Governo do Estado do Tocantins';
    const GESTOR = 'gestora.teste@to';
    let to: { id: number; unidades: number[] };
    let gestor: string;
    let ladoTo: Lado;
    let ladoMs: Lado;
    let ladoDisis: Lado;
    const esperado: EventoEsperado[] = [];

    const etapaEsperada = (acao: AcaoOnboarding, de: Etapa | null, motivo: string | null = null): EventoEsperado => {
      const p = PASSO_ONBOARDING[acao];
      return {
        tipo: 'ETAPA',
        etapaAnterior: de,
        etapa: p.para,
        ambiente: AMBIENTE_DA_ETAPA[p.para],
        requisito: null,
        situacaoRequisito: null,
        evidencia: null,
        ator: p.responsavel === 'PEN' ? penViewer.sujeito : GESTOR,
        motivo,
      };
    };
    const requisitoEsperado = (
      etapa: Etapa,
      ambiente: Ambiente,
      codigo: string,
      situacao: string,
      ator: string,
      extra: Partial<EventoEsperado> = {},
    ): EventoEsperado => ({
      tipo: 'REQUISITO',
      etapaAnterior: etapa,
      etapa,
      ambiente,
      requisito: codigo,
      situacaoRequisito: situacao,
      evidencia: null,
      ator,
      motivo: null,
      ...extra,
    });

    /** A step that must succeed; its event is the next one of the history. */
    async function avancar(acao: AcaoPorMutacao, token: string, motivo: string | null = null) {
      const antes = (await lerOnboarding(to.id, pen))?.etapa ?? null;
      const r = await passoOk(acao, to.id, token, motivo ? { motivo } : {});
      const e = etapaEsperada(acao, antes, motivo);
      expect(semCursor(r.evento)).toEqual(e);
      esperado.push(e);
      expect(r.onboarding.versao).toBe(esperado.length);
      return r;
    }
    async function acaoRequisito(mutacao: MutacaoRequisito, ambiente: Ambiente, codigo: string, nota: string | null) {
      const porPen = mutacao !== 'registrarRequisito';
      const r = await requisito(mutacao, to.id, ambiente, codigo, porPen ? pen : gestor, nota);
      expect(r.__typename, JSON.stringify(r)).toBe('OnboardingAtualizado');
      const situacao = mutacao === 'registrarRequisito' ? 'REGISTRADO' : mutacao === 'confirmarRequisito' ? 'CONFIRMADO' : 'PENDENTE';
      const e = requisitoEsperado(r.onboarding.etapa, ambiente, codigo, situacao, porPen ? penViewer.sujeito : GESTOR, {
        motivo: porPen ? nota : null,
      });
      expect(semCursor(r.evento)).toEqual(e);
      esperado.push(e);
      return r;
    }
    /** A trâmite that must meet `codigo` (with it as the evidence), or (codigo null) must change nothing. */
    async function tramiteQue(codigo: string | null, ambiente: Ambiente, de: Lado, para: Lado, descricao: string, fim: 6 | 9) {
      const antes = (await lerOnboarding(to.id, pen))!;
      const t = await tramite(de, para, descricao, fim, ambiente);
      const depois = (await lerOnboarding(to.id, pen))!;
      if (codigo === null) {
        expect(depois.versao, descricao).toBe(antes.versao);
        expect(depois.h).toEqual(antes.h);
        expect(depois.p).toEqual(antes.p);
        return t;
      }
      expect(item(antes, ambiente, codigo).situacao).toBe('PENDENTE');
      expect(item(depois, ambiente, codigo)).toMatchObject({
        situacao: 'ATENDIDO_AUTOMATICAMENTE',
        evidencia: { id: t.gid },
        registradoPor: 'tramita-gov-br',
      });
      expect(depois.versao).toBe(antes.versao + 1);
      const e = requisitoEsperado(depois.etapa, ambiente, codigo, 'ATENDIDO_AUTOMATICAMENTE', 'tramita-gov-br', {
        evidencia: { id: t.gid },
      });
      expect(semCursor(depois.historico.at(-1))).toEqual(e);
      esperado.push(e);
      return t;
    }
    async function configuracao(ambiente: Ambiente, recusar: string | null) {
      for (const codigo of configs)
        await acaoRequisito('registrarRequisito', ambiente, codigo, `Evidência do item ${codigo} em ${ambiente.toLowerCase()}.`);
      if (recusar) {
        await acaoRequisito('recusarRequisito', ambiente, recusar, 'A evidência não mostra o mapeamento completo.');
        await acaoRequisito('registrarRequisito', ambiente, recusar, `Evidência do item ${recusar}, completa.`);
      }
      for (const codigo of configs) await acaoRequisito('confirmarRequisito', ambiente, codigo, null);
    }

    beforeAll(async () => {
      to = await novoOrgao(17, 'GOV-TO', NOME, [
        { sigla: 'PROTOCOLO-TO', envio: true, recebimento: true, central: true },
        { sigla: 'SESAU-TO', envio: true, recebimento: true },
      ]);
      gestor = await gw.token({ sub: GESTOR, orgao: { repositorio: 9, estrutura: 17 }, roles: ['GESTOR_PROTOCOLO'] });
      const speTo = await gw.token({ sub: 'spe:sei.to.gov.br', orgao: { repositorio: 9, estrutura: 17 }, roles: ['SPE'] });
      ladoTo = { unidade: to.unidades[0]!, token: speTo };
      ladoMs = { unidade: await protocolo(await raizPorSigla('MS')), token: await gw.tokenOf(SPE_SAUDE) };
      ladoDisis = { unidade: disis, token: mgiSpe };
    });

    test('request, approval, structure: → ANALISE_CADASTRO → CONFIGURACAO_ESTRUTURA → IMPLANTACAO_HOMOLOGACAO', async () => {
      expect(await lerOnboarding(to.id, gestor)).toBeNull();
      // The request, with its content (HTTP); its event is the first of the history.
      const pedido = await solicitarAcesso(
        gw,
        solicitacaoDoOrgao({ repositorio: 9, estrutura: 17 }, PRIMEIRO_GESTOR),
        PDF_DE_TESTE,
        gestor,
      );
      expect(pedido).toMatchObject({ status: 201, body: { orgao: { id: to.id }, onboarding: { etapa: 'ANALISE_CADASTRO', versao: 1 } } });
      const r1 = { onboarding: (await lerOnboarding(to.id, gestor))! };
      esperado.push(etapaEsperada('SOLICITAR_ACESSO', null));
      expect(r1.onboarding.historico.map(semCursor)).toEqual(esperado);
      expect(r1.onboarding).toMatchObject({
        etapa: 'ANALISE_CADASTRO',
        ambiente: 'HOMOLOGACAO',
        versao: 1,
        acoesPermitidas: [],
        bloqueios: ['aguardando a equipe do PEN'],
        implantadoEm: null,
      });
      expect((await lerOnboarding(to.id, pen))!.acoesPermitidas).toEqual(['APROVAR_CADASTRO', 'REJEITAR_CADASTRO']);
      const r2 = await avancar('APROVAR_CADASTRO', pen);
      expect(r2.onboarding).toMatchObject({ acoesPermitidas: [], bloqueios: [] });
      expect((await lerOnboarding(to.id, gestor))!.acoesPermitidas).toEqual(['CONCLUIR_CONFIGURACAO']);
      const r3 = await avancar('CONCLUIR_CONFIGURACAO', gestor);
      expect(r3.onboarding.bloqueios).toHaveLength(catalogo.filter((r) => r.exigido).length);
    });

    test('homologação: a, b, c met by real trâmites (any counterpart), d–i registered and confirmed, validation sent back once, then granted', async () => {
      const o = (await lerOnboarding(to.id, gestor))!;
      expect(o.checklist.map((i: Record<string, any>) => i.situacao)).toEqual(catalogo.map(() => 'PENDENTE'));
      expect(o.checklist.every((i: Record<string, any>) => i.ambiente === 'HOMOLOGACAO')).toBe(true);
      expect(await passo('SOLICITAR_VALIDACAO_HOMOLOGACAO', to.id, gestor)).toMatchObject({
        __typename: 'ErroCriteriosNaoAtendidos',
        pendencias: catalogo
          .filter((r) => r.exigido)
          .map((r) => expect.stringMatching(new RegExp(`^requisito ${r.codigo} em homologacao \\(`))),
      });

      // A refusal with the agency as remetente is not (c); a cancelled trâmite is nothing.
      await tramiteQue(null, 'HOMOLOGACAO', ladoTo, ladoMs, 'Ofício nº 1/2026 – recusado pelo MS', 9);
      const a = await tramiteQue(codigoDoTipo.TRAMITE_ENVIADO_COM_SUCESSO!, 'HOMOLOGACAO', ladoTo, ladoMs, 'Ofício nº 2/2026 – envio', 6);
      await tramiteQue(codigoDoTipo.TRAMITE_RECEBIDO_COM_SUCESSO!, 'HOMOLOGACAO', ladoMs, ladoTo, 'Ofício nº 3/2026 – recebimento', 6);
      const c = await tramiteQue(
        codigoDoTipo.RECUSA_COMO_DESTINATARIO!,
        'HOMOLOGACAO',
        ladoMs,
        ladoTo,
        'Ofício nº 4/2026 – recusa pelo órgão',
        9,
      );
      // Another qualifying trâmite changes nothing: the first one stays the evidence.
      await tramiteQue(null, 'HOMOLOGACAO', ladoTo, ladoMs, 'Ofício nº 5/2026 – outro envio', 6);
      // The agency sees the evidence of what it sent, not of what it refused (only the remetente sees a refused trâmite).
      const doGestor = (await lerOnboarding(to.id, gestor))!;
      expect(item(doGestor, 'HOMOLOGACAO', codigoDoTipo.TRAMITE_ENVIADO_COM_SUCESSO!).evidencia).toEqual({ id: a.gid });
      expect(item(doGestor, 'HOMOLOGACAO', codigoDoTipo.RECUSA_COMO_DESTINATARIO!)).toMatchObject({
        situacao: 'ATENDIDO_AUTOMATICAMENTE',
        evidencia: null,
      });
      // ...but it reads that evidence's summary (IDT, status, date, motive), from its own checklist.
      const [refusal] = await rows<{ idt: string; em: string }>(
        `select idt::text as idt, situacao_alterada_em as em from tramites where id = $1 and situacao = 9`,
        [c.id],
      );
      expect(item(doGestor, 'HOMOLOGACAO', codigoDoTipo.RECUSA_COMO_DESTINATARIO!).evidenciaResumo).toEqual({
        idt: refusal!.idt,
        situacao: 'CIENCIA_RECUSA',
        situacaoAlteradaEm: new Date(refusal!.em).toISOString(),
        motivoRecusa: 'MOTIVO_99',
      });
      expect(item(doGestor, 'HOMOLOGACAO', codigoDoTipo.TRAMITE_RECEBIDO_COM_SUCESSO!).evidenciaResumo).toMatchObject({
        situacao: 'CONCLUIDO',
        motivoRecusa: null,
      });
      expect(item((await lerOnboarding(to.id, pen))!, 'HOMOLOGACAO', codigoDoTipo.RECUSA_COMO_DESTINATARIO!).evidencia).toEqual({
        id: c.gid,
      });

      await configuracao('HOMOLOGACAO', configs[1]!);
      const confirmado = item((await lerOnboarding(to.id, gestor))!, 'HOMOLOGACAO', configs[1]!);
      expect(confirmado).toMatchObject({
        situacao: 'CONFIRMADO',
        nota: `Evidência do item ${configs[1]}, completa.`,
        registradoPor: GESTOR,
        confirmadoPor: penViewer.sujeito,
      });

      const pedido = await avancar('SOLICITAR_VALIDACAO_HOMOLOGACAO', gestor);
      expect(pedido.onboarding.bloqueios).toEqual(['aguardando validação da equipe do PEN']);
      const MOTIVO = 'O certificado digital de homologação está vencido: renove e solicite de novo.';
      const volta = await avancar('REPROVAR_HOMOLOGACAO', pen, MOTIVO);
      expect(volta.onboarding.etapa).toBe('IMPLANTACAO_HOMOLOGACAO');
      expect(
        (await lerOnboarding(to.id, pen))!.h.every((i: Record<string, any>) =>
          (REQUISITO_SATISFEITO as readonly string[]).includes(i.situacao),
        ),
      ).toBe(true);
      await avancar('SOLICITAR_VALIDACAO_HOMOLOGACAO', gestor);
      const validado = await avancar('VALIDAR_HOMOLOGACAO', pen);
      expect(validado.onboarding).toMatchObject({ etapa: 'ACESSO_PRODUCAO', ambiente: 'PRODUCAO', implantadoEm: null });
    });

    test('produção: everything pending again; only a TESTE trâmite with DISIS counts; validation sent back once; → EM_PRODUCAO with implantadoEm', async () => {
      const o = (await lerOnboarding(to.id, gestor))!;
      expect(o.checklist.map((i: Record<string, any>) => [i.ambiente, i.situacao])).toEqual(catalogo.map(() => ['PRODUCAO', 'PENDENTE']));
      expect(o.h.every((i: Record<string, any>) => (REQUISITO_SATISFEITO as readonly string[]).includes(i.situacao))).toBe(true);
      const TESTE = `TESTE – ${NOME}`;
      const codA = codigoDoTipo.TRAMITE_ENVIADO_COM_SUCESSO!;
      const codB = codigoDoTipo.TRAMITE_RECEBIDO_COM_SUCESSO!;
      const codC = codigoDoTipo.RECUSA_COMO_DESTINATARIO!;

      // Not tests: a TESTE trâmite with another counterpart; trâmites with DISIS not described as tests.
      await tramiteQue(null, 'PRODUCAO', ladoTo, ladoMs, TESTE, 6);
      await tramiteQue(null, 'PRODUCAO', ladoMs, ladoTo, TESTE, 6);
      await tramiteQue(null, 'PRODUCAO', ladoTo, ladoDisis, 'Ofício nº 9/2026 – cessão de servidor', 6);
      await tramiteQue(null, 'PRODUCAO', ladoDisis, ladoTo, 'Ofício nº 10/2026 – resposta', 6);
      await tramiteQue(null, 'PRODUCAO', ladoDisis, ladoTo, 'Ofício nº 11/2026 – recusado', 9);
      // The tests with DISIS (the production test unit), described "TESTE – <agency>".
      await tramiteQue(codA, 'PRODUCAO', ladoTo, ladoDisis, TESTE, 6);
      await tramiteQue(codB, 'PRODUCAO', ladoDisis, ladoTo, TESTE, 6);
      await tramiteQue(codC, 'PRODUCAO', ladoDisis, ladoTo, TESTE, 9);

      // Homologação requirements are closed now.
      expect(await requisito('registrarRequisito', to.id, 'HOMOLOGACAO', configs[0]!, gestor, 'De novo.')).toMatchObject({
        __typename: 'ErroEtapaInvalida',
        etapaAtual: 'ACESSO_PRODUCAO',
      });
      // (d)–(i) are still shown, pending, but not required (today's list): the gate is open without them.
      const producao = (await lerOnboarding(to.id, gestor))!.p as Array<Record<string, any>>;
      expect(producao.filter((i) => configs.includes(i.codigo)).map((i) => [i.codigo, i.exigido, i.situacao])).toEqual(
        configs.map((codigo) => [codigo, catalogo.find((r) => r.codigo === codigo)!.exigido, 'PENDENTE']),
      );
      expect(catalogo.filter((r) => r.exigido).map((r) => r.codigo)).toEqual(['a', 'b', 'c']);

      // The produção configuration (replicated from homologação: the request's first gestor, no SPE key) must be confirmed first.
      const portao = await passo('SOLICITAR_VALIDACAO_PRODUCAO', to.id, gestor);
      expect(portao).toMatchObject({ __typename: 'ErroCriteriosNaoAtendidos' });
      // The SPE key is there when a production test trâmite made TO sign a receipt (its gestor registered the key).
      const temChave = (await rows("select 1 from chaves_publicas_spe where orgao_id = $1 and ambiente = 'PRODUCAO'", [to.id])).length > 0;
      expect(portao.pendencias).toEqual([
        ...(temChave ? [] : ['registrar a chave pública do SPE em produção (o certificado de produção é outro)']),
        'confirmar a configuração de produção (replicada da homologação)',
      ]);
      const g = await ok(
        `mutation($o: ID!) { registrarGestorProtocolo(input: { orgao: $o, ambiente: PRODUCAO, nome: "Ana Tocantins", cpf: "529.982.247-25", email: "ana@to.gov.br" }) {
          __typename ... on GestoresAtualizados { gestores { cpf } evento { ${CAMPOS_EVENTO} } } } }`,
        { o: gid('Orgao', to.id) },
        gestor,
      );
      // By name: Ana (registered now), Marta (the request's first gestor, replicated from homologação).
      expect(g.registrarGestorProtocolo.gestores).toEqual([{ cpf: '52998224725' }, { cpf: '11144477735' }]);
      const eg: EventoEsperado = {
        ...requisitoEsperado('ACESSO_PRODUCAO', 'PRODUCAO', '', '', GESTOR),
        tipo: 'GESTOR_REGISTRADO',
        requisito: null,
        situacaoRequisito: null,
      };
      expect(semCursor(g.registrarGestorProtocolo.evento)).toEqual(eg);
      esperado.push(eg);
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const chave = await ok(
        `mutation($k: String!) { registrarChavePublicaSpe(input: { chavePublica: $k, ambiente: PRODUCAO }) { __typename } }`,
        { k: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
        gestor,
      );
      expect(chave.registrarChavePublicaSpe.__typename).toBe('ChavePublicaSpe');
      const c = await ok(
        `mutation($o: ID!) { confirmarConfiguracaoProducao(input: { orgao: $o }) { __typename ... on OnboardingAtualizado { evento { ${CAMPOS_EVENTO} } } } }`,
        { o: gid('Orgao', to.id) },
        gestor,
      );
      const ec = { ...eg, tipo: 'CONFIGURACAO_CONFIRMADA' as const };
      expect(semCursor(c.confirmarConfiguracaoProducao.evento)).toEqual(ec);
      esperado.push(ec);

      await avancar('SOLICITAR_VALIDACAO_PRODUCAO', gestor);
      await avancar('REPROVAR_PRODUCAO', pen, 'Os testes em produção não foram comunicados por e-mail institucional.');
      await avancar('SOLICITAR_VALIDACAO_PRODUCAO', gestor);
      const fim = await avancar('VALIDAR_PRODUCAO', pen);
      expect(fim.onboarding).toMatchObject({ etapa: 'EM_PRODUCAO', ambiente: 'PRODUCAO', acoesPermitidas: [], bloqueios: [] });
      expect(fim.onboarding.implantadoEm).toBe(fim.evento.ocorridoEm);
      // Nothing more to do.
      const depois = await passos(
        PASSOS_POR_MUTACAO.filter((p) => p.responsavel === 'PEN').map((p) => ({ acao: p.acao, orgaoId: to.id, extra: { motivo: 'x' } })),
        pen,
      );
      expect(depois.every((r) => r.__typename === 'ErroEtapaInvalida' && r.acoesPossiveis.length === 0)).toBe(true);
    });

    test('the history is exactly as acted, in seq order; versao = number of events', async () => {
      const o = (await lerOnboarding(to.id, pen))!;
      expect(o.historico.map(semCursor)).toEqual(esperado);
      expect(o.versao).toBe(esperado.length);
      const seqs = (
        await rows<{ seq: string }>('select seq::text as seq from onboarding_eventos where orgao_id = $1 order by seq', [to.id])
      ).map((r) => r.seq);
      expect(o.historico.map((e: Record<string, any>) => e.cursor)).toEqual(seqs);
      const tempos = o.historico.map((e: Record<string, any>) => Date.parse(e.ocorridoEm));
      expect(tempos).toEqual([...tempos].sort((x, y) => x - y));
      expect(o.iniciadoEm).toBe(o.historico[0].ocorridoEm);
      expect(o.atualizadoEm).toBe(o.historico.at(-1).ocorridoEm);
      // The reasons for going back are in the history.
      expect(
        o.historico
          .filter((e: Record<string, any>) => e.tipo === 'ETAPA' && e.motivo)
          .map((e: Record<string, any>) => [e.etapaAnterior, e.etapa]),
      ).toEqual([
        ['VALIDACAO_HOMOLOGACAO', 'IMPLANTACAO_HOMOLOGACAO'],
        ['VALIDACAO_PRODUCAO', 'ACESSO_PRODUCAO'],
      ]);
      // The agency reads the same history (hiding only the evidence it may not see).
      const proprio = (await lerOnboarding(to.id, gestor))!;
      expect(proprio.historico.map((e: Record<string, any>) => ({ ...semCursor(e), evidencia: null }))).toEqual(
        esperado.map((e) => ({ ...e, evidencia: null })),
      );
    });
  });
});
