// The trâmite lifecycle over real HTTP, on both backends: the three endings end to end, every refused
// move generated from the rules table (PASSOS), iniciarTramite's refusals, idempotency and optimistic
// concurrency, PEN_ADMIN acting for no side, acoesPermitidas, grafoSituacoes, and the automatic
// cancellation (correctness; the multi-instance race itself is in concurrency.test.ts).
//
// Units and agencies come from SQL over the demo seed (units enabled to send / receive, agencies that
// have a demo account); expectations come from regras.ts, acesso.ts and SQL, never from seed numbers.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, type DemoAccount } from '../src/demo/seed.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { canReadTramite } from '../src/tramites/acesso.js';
import { ATOR_PLATAFORMA } from '../src/kernel/platform.js';
import { cancelarTramitesParados } from '../src/tramites/cancelamento-automatico.js';
import { MUTACAO_POR_ACAO } from '../src/tramites/graphql/tramite.js';
import {
  acoesPermitidas,
  DIAS_PARA_CANCELAMENTO_AUTOMATICO,
  ladosDoViewer,
  PASSO_POR_ACAO,
  PASSOS,
  SITUACAO_INFO,
  SITUACOES,
  type Acao,
  type Passo,
  type Situacao,
} from '../src/tramites/regras.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { gid, dbId } from './support/ids.js';
import { ARQUIVO_DE_DEMO, CONTEUDO_DE_DEMO_GQL, passoComConteudo } from './support/tramites.js';
import { textoDoReciboDeConclusao } from './support/componentes.js';
import { assinarComoSpeDemo } from '../src/demo/chaves-spe.js';
import { habilitada } from './support/configuracao.js';

const chave = (s: Situacao) => SITUACAO_INFO[s].chave;
const DIA_MS = 86_400_000;

type AcaoPasso = Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>;
/** The steps a person takes through a mutation (all but INICIAR and the platform's own). */
const PASSOS_MUTACAO = PASSOS.filter((p): p is Passo & { acao: AcaoPasso } => p.acao !== 'INICIAR' && p.lado !== 'PLATAFORMA');
/** Input type of each step mutation (src/tramites/mutacoes.ts). */
const INPUT_POR_ACAO: Record<Exclude<AcaoPasso, 'ENVIAR_COMPONENTES_DIGITAIS'>, string> = {
  RECEBER_METADADOS: 'AcaoTramiteInput',
  RECEBER_COMPONENTES_DIGITAIS: 'ConfirmarRecebimentoDeComponentesInput',
  ENVIAR_RECIBO_CONCLUSAO: 'EnviarReciboConclusaoInput',
  RECEBER_RECIBO_CONCLUSAO: 'AcaoTramiteInput',
  CANCELAR: 'CancelarTramiteInput',
  RECUSAR: 'RecusarTramiteInput',
  DAR_CIENCIA_RECUSA: 'AcaoTramiteInput',
};
const RECUSA_PADRAO = { motivo: 'MOTIVO_02', justificativa: 'O hash do componente 3 não confere com o informado nos metadados.' };

const CAMPOS_TRAMITE = 'id situacao codigoSituacao versao nre';
const CAMPOS_EVENTO = 'cursor situacaoAnterior situacao lado ator porAdministradorPen orgaoAtor { id } motivoRecusa justificativa';
const RESULTADO_COMUM = `
  __typename
  ... on TransicaoRealizada { repetida tramite { ${CAMPOS_TRAMITE} } evento { ${CAMPOS_EVENTO} } }
  ... on Erro { codigo mensagem }
  ... on ErroAcaoNaoPermitida { ladoExigido seusLados }
  ... on ErroValidacao { problemas { campo mensagem } }`;
const RESULTADO_PASSO = `${RESULTADO_COMUM}
  ... on ErroTransicaoInvalida { situacaoAtual acaoSolicitada acoesPossiveis }
  ... on ErroConflito { situacaoAtual versaoAtual }`;
/** The upload's answer read as a step's (its union has no ErroConflito: an upload takes no expectation). */
const SELECAO_UPLOAD = {
  sucesso: `tramite { ${CAMPOS_TRAMITE} } evento { ${CAMPOS_EVENTO} }`,
  erro: 'codigo mensagem } ... on ErroAcaoNaoPermitida { ladoExigido seusLados } ... on ErroValidacao { problemas { campo mensagem } } ... on ErroTransicaoInvalida { situacaoAtual acaoSolicitada acoesPossiveis',
};
const RESULTADO_INICIO = `${RESULTADO_COMUM}
  ... on ErroUnidadeNaoHabilitada { sigla }
  ... on ErroProcessoEmAndamento { nre codigoPlataforma }`;

/** What a mutation answers (TransicaoRealizada or one of the Erro types), loosely typed. */
type Resultado = Record<string, any> & { __typename: string };

interface Unidade {
  id: number;
  sigla: string;
}
interface Agencia {
  id: number;
  sigla: string;
  conta: DemoAccount;
  viewer: Viewer;
  token: string;
  envio: Unidade[];
  semEnvio: Unidade[];
  recebimento: Unidade[];
  semRecebimento: Unidade[];
}
interface Cenario {
  rem: Agencia;
  dest: Agencia;
  outro: Agencia;
  admin: { conta: DemoAccount; viewer: Viewer; token: string };
  participantes: { remetenteOrgaoId: number; destinatarioOrgaoId: number };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let c: Cenario;
  let processo = 0;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);

  const ok = (query: string, variables: Record<string, unknown>, token: string) => gw.ok(query, variables, token);

  async function montarCenario(): Promise<Cenario> {
    const agencias: Agencia[] = [];
    const unidades = (orgaoId: number, where: string) =>
      rows<Unidade>(`select id::int as id, sigla from estruturas where orgao_id = $1 and pai_id is not null and ${where} order by id`, [
        orgaoId,
      ]);
    for (const conta of DEMO_ACCOUNTS) {
      if (!conta.orgao || !conta.papeis.includes('SPE')) continue;
      const [raiz] = await rows<{ id: number; sigla: string }>(
        'select id::int as id, sigla from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
        [conta.orgao.repositorio, conta.orgao.estrutura],
      );
      if (!raiz || agencias.some((a) => a.id === raiz.id)) continue;
      agencias.push({
        id: raiz.id,
        sigla: raiz.sigla,
        conta,
        viewer: { sujeito: conta.sujeito, orgaoId: raiz.id, papeis: new Set(conta.papeis) },
        token: await gw.tokenOf(conta.sujeito),
        envio: await unidades(raiz.id, habilitada('estruturas', 'envio')),
        semEnvio: await unidades(raiz.id, `not ${habilitada('estruturas', 'envio')}`),
        recebimento: await unidades(raiz.id, habilitada('estruturas', 'recebimento')),
        semRecebimento: await unidades(raiz.id, `not ${habilitada('estruturas', 'recebimento')}`),
      });
    }
    const rem = agencias.find((a) => a.envio.length > 0 && a.semEnvio.length > 0);
    const dest = agencias.find((a) => a !== rem && a.recebimento.length > 0 && a.semRecebimento.length > 0);
    const outro = agencias.find((a) => a !== rem && a !== dest);
    if (!rem || !dest || !outro) throw new Error('the demo seed needs three agencies with demo accounts and enabled/not enabled units');
    const contaAdmin = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'));
    if (!contaAdmin) throw new Error('the demo seed has no PEN_ADMIN account');
    return {
      rem,
      dest,
      outro,
      admin: {
        conta: contaAdmin,
        viewer: { sujeito: contaAdmin.sujeito, orgaoId: null, papeis: new Set(contaAdmin.papeis) },
        token: await gw.tokenOf(contaAdmin.sujeito),
      },
      participantes: { remetenteOrgaoId: rem.id, destinatarioOrgaoId: dest.id },
    };
  }

  /** The token of the agency acting for a side (REMETENTE / DESTINATARIO) of the scenario's trâmites. */
  const tokenDoLado = (lado: Passo['lado']) => (lado === 'REMETENTE' ? c.rem.token : c.dest.token);

  async function iniciar(input: Record<string, unknown> = {}, token = c.rem.token): Promise<Resultado> {
    processo += 1;
    const data = await ok(
      `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO_INICIO} } }`,
      {
        input: {
          tipo: 'PROCESSO',
          numeroProcesso: `${backend}-teste-${processo}`,
          descricao: `Teste do ciclo de vida ${processo}`,
          unidadeRemetente: gid('UnidadeAdministrativa', c.rem.envio[0]!.id),
          unidadeDestinataria: gid('UnidadeAdministrativa', c.dest.recebimento[0]!.id),
          ...CONTEUDO_DE_DEMO_GQL,
          ...input,
        },
      },
      token,
    );
    return data.r;
  }

  async function novoTramite(): Promise<number> {
    const r = await iniciar();
    expect(r.__typename, JSON.stringify(r)).toBe('TransicaoRealizada');
    return dbId(r.tramite.id);
  }

  interface PedidoGql {
    acao: AcaoPasso;
    tramiteId: number;
    extra?: Record<string, unknown>;
  }

  /** What a step's act carries besides its input: the hashes of 3 → 4, the signed receipt of 4 → 5 (as the SPE computes it). */
  async function doAto(p: PedidoGql, token: string): Promise<Record<string, unknown>> {
    if (p.acao === 'RECEBER_COMPONENTES_DIGITAIS') return { hashes: [{ documento: 1, componente: 1, hash: ARQUIVO_DE_DEMO.hash }] };
    if (p.acao === 'ENVIAR_RECIBO_CONCLUSAO')
      // A trâmite this viewer cannot read, or that never reached 4, is refused before any signature is checked.
      return {
        hashDaAssinatura: assinarComoSpeDemo(await textoDoReciboDeConclusao(gw, gid('Tramite', p.tramiteId), token).catch(() => '')),
      };
    return {};
  }

  /**
   * Several step mutations in ONE request, as aliases (mutations run one after the other, in order); each upload (1 → 2)
   * is a multipart request of its own, after them.
   */
  async function passos(pedidos: PedidoGql[], token: string): Promise<Resultado[]> {
    const resultados: Resultado[] = new Array(pedidos.length);
    const emLote = pedidos.flatMap((p, i) => (p.acao === 'ENVIAR_COMPONENTES_DIGITAIS' ? [] : [{ p, i }]));
    if (emLote.length > 0) {
      const vars: Record<string, unknown> = {};
      const decl: string[] = [];
      const atos = await Promise.all(emLote.map(({ p }) => doAto(p, token)));
      const campos = emLote.map(({ p }, i) => {
        decl.push(`$i${i}: ${INPUT_POR_ACAO[p.acao as Exclude<AcaoPasso, 'ENVIAR_COMPONENTES_DIGITAIS'>]}!`);
        vars[`i${i}`] = { tramite: gid('Tramite', p.tramiteId), ...(p.acao === 'RECUSAR' ? RECUSA_PADRAO : {}), ...atos[i], ...p.extra };
        return `a${i}: ${MUTACAO_POR_ACAO[p.acao]}(input: $i${i}) { ${RESULTADO_PASSO} }`;
      });
      const data = await ok(`mutation(${decl.join(', ')}) { ${campos.join('\n')} }`, vars, token);
      emLote.forEach(({ i }, j) => {
        resultados[i] = data[`a${j}`] as Resultado;
      });
    }
    for (const [i, p] of pedidos.entries()) {
      if (p.acao !== 'ENVIAR_COMPONENTES_DIGITAIS') continue;
      const res = await passoComConteudo(gw.gateway.url, p.acao, gid('Tramite', p.tramiteId), token, SELECAO_UPLOAD, p.extra);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      resultados[i] = res.data.r as Resultado;
    }
    return resultados;
  }

  async function passo(acao: AcaoPasso, tramiteId: number, token: string, extra?: Record<string, unknown>): Promise<Resultado> {
    return (await passos([{ acao, tramiteId, extra }], token))[0]!;
  }

  async function passoOk(acao: AcaoPasso, tramiteId: number, token: string, extra?: Record<string, unknown>): Promise<Resultado> {
    const r = await passo(acao, tramiteId, token, extra);
    expect(r.__typename, `${acao}: ${JSON.stringify(r)}`).toBe('TransicaoRealizada');
    expect(r.tramite.codigoSituacao).toBe(PASSO_POR_ACAO[acao].para);
    return r;
  }

  async function estado(tramiteId: number) {
    const [row] = await rows<{ situacao: number; versao: number; eventos: number; nre: string }>(
      `select situacao::int as situacao, versao::int as versao, nre,
              (select count(*)::int from tramite_eventos e where e.tramite_id = t.id and e.tipo = 'SITUACAO') as eventos
         from tramites t where id = $1`,
      [tramiteId],
    );
    return row!;
  }

  const totalEventos = async () => (await rows<{ n: number }>('select count(*)::int as n from tramite_eventos'))[0]!.n;
  const totalTramites = async () => (await rows<{ n: number }>('select count(*)::int as n from tramites'))[0]!.n;

  /** Moves a trâmite to 10 by the platform's job, touching nothing else: its clock is set far in the past. */
  async function cancelarAutomaticamenteSo(tramiteId: number) {
    const antigo = new Date(Date.UTC(2000, 0, 1));
    await rows('update tramites set situacao_alterada_em = $1::timestamptz where id = $2', [antigo.toISOString(), tramiteId]);
    const agora = new Date(antigo.getTime() + (DIAS_PARA_CANCELAMENTO_AUTOMATICO + 1) * DIA_MS);
    const limite = new Date(agora.getTime() - DIAS_PARA_CANCELAMENTO_AUTOMATICO * DIA_MS);
    const [alvo] = await rows<{ ids: number[] | null }>(
      'select array_agg(id::int) as ids from tramites where situacao between 1 and 4 and situacao_alterada_em < $1::timestamptz',
      [limite.toISOString()],
    );
    expect(alvo!.ids).toEqual([tramiteId]);
    expect(await cancelarTramitesParados(gw.database.db, { agora, dias: DIAS_PARA_CANCELAMENTO_AUTOMATICO })).toBe(1);
  }

  /** Shortest way from 1 to `alvo` in PASSOS (BFS), as the steps to take after INICIAR. */
  function caminhoAte(alvo: Situacao): Passo[] {
    const fila: Array<{ s: Situacao; caminho: Passo[] }> = [{ s: 1, caminho: [] }];
    const vistos = new Set<Situacao>([1]);
    for (let i = 0; i < fila.length && i < 100; i++) {
      const { s, caminho } = fila[i]!;
      if (s === alvo) return caminho;
      for (const p of PASSOS.filter((x) => x.de.includes(s))) {
        if (vistos.has(p.para)) continue;
        vistos.add(p.para);
        fila.push({ s: p.para, caminho: [...caminho, p] });
      }
    }
    throw new Error(`status ${alvo} unreachable`);
  }

  /** A new trâmite driven to `alvo` through the mutations (and the platform's job for 10). */
  async function tramiteEm(alvo: Situacao): Promise<number> {
    const id = await novoTramite();
    for (const p of caminhoAte(alvo)) {
      if (p.lado === 'PLATAFORMA') await cancelarAutomaticamenteSo(id);
      else await passoOk(p.acao as AcaoPasso, id, tokenDoLado(p.lado));
    }
    expect((await estado(id)).situacao).toBe(alvo);
    return id;
  }

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    c = await montarCenario();
  });

  afterAll(async () => {
    await gw?.close();
  });

  describe('the three endings, end to end, with the history exactly as acted', () => {
    type EventoEsperado = {
      de: Situacao | null;
      para: Situacao;
      por: 'rem' | 'dest' | 'plataforma';
      motivo?: string;
      justificativa?: string;
    };

    function historicoEsperado(eventos: EventoEsperado[]) {
      return eventos.map((e) => {
        const ag = e.por === 'rem' ? c.rem : e.por === 'dest' ? c.dest : null;
        return {
          situacaoAnterior: e.de === null ? null : chave(e.de),
          situacao: chave(e.para),
          lado: e.por === 'rem' ? 'REMETENTE' : e.por === 'dest' ? 'DESTINATARIO' : 'PLATAFORMA',
          ator: ag ? ag.conta.sujeito : ATOR_PLATAFORMA,
          porAdministradorPen: false,
          orgaoAtor: ag ? { id: gid('Orgao', ag.id) } : null,
          motivoRecusa: e.motivo ?? null,
          justificativa: e.justificativa ?? null,
        };
      });
    }

    async function lerHistorico(tramiteId: number, token = c.rem.token) {
      const data = await ok(
        `query($id: ID!) { tramite(id: $id) { ${CAMPOS_TRAMITE} finalizado historico { ${CAMPOS_EVENTO} } } }`,
        { id: gid('Tramite', tramiteId) },
        token,
      );
      return data.tramite as Record<string, any> | null;
    }

    /** The history without the cursors, which must be strictly increasing and equal the SQL seqs. */
    async function semCursores(tramiteId: number, historico: Array<Record<string, any>>) {
      const seqs = (
        await rows<{ seq: string }>(
          `select seq::text as seq from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO' order by seq`,
          [tramiteId],
        )
      ).map((r) => r.seq);
      expect(historico.map((e) => e.cursor)).toEqual(seqs);
      return historico.map(({ cursor: _c, ...resto }) => resto);
    }

    test('success: 1 → 2 → 3 → 4 → 5 → 6, each step by its side', async () => {
      const r0 = await iniciar();
      expect(r0.__typename, JSON.stringify(r0)).toBe('TransicaoRealizada');
      expect(r0).toMatchObject({
        repetida: false,
        tramite: { situacao: chave(1), versao: 1 },
        evento: { situacaoAnterior: null, situacao: chave(1), lado: 'REMETENTE' },
      });
      expect(r0.tramite.nre).toMatch(/^\d{16}$/);
      const id = dbId(r0.tramite.id);
      const eventos: EventoEsperado[] = [{ de: null, para: 1, por: 'rem' }];
      for (const acao of [
        'ENVIAR_COMPONENTES_DIGITAIS',
        'RECEBER_METADADOS',
        'RECEBER_COMPONENTES_DIGITAIS',
        'ENVIAR_RECIBO_CONCLUSAO',
        'RECEBER_RECIBO_CONCLUSAO',
      ] as const) {
        const p = PASSO_POR_ACAO[acao];
        const antes = await estado(id);
        const r = await passoOk(acao, id, tokenDoLado(p.lado));
        expect(r.tramite.versao).toBe(antes.versao + 1);
        // The upload's move to 2 is the platform's (quemMuda); every other step is its side's.
        const lado = p.quemMuda ?? p.lado;
        expect(r.evento).toMatchObject({ situacaoAnterior: chave(antes.situacao as Situacao), situacao: chave(p.para), lado });
        eventos.push({
          de: antes.situacao as Situacao,
          para: p.para,
          por: lado === 'PLATAFORMA' ? 'plataforma' : lado === 'REMETENTE' ? 'rem' : 'dest',
        });
      }
      const t = (await lerHistorico(id))!;
      expect(t).toMatchObject({ situacao: 'CONCLUIDO', codigoSituacao: 6, finalizado: true, versao: 6 });
      expect(await semCursores(id, t.historico)).toEqual(historicoEsperado(eventos));
      // The destinatário still sees a trâmite concluded with success.
      expect((await lerHistorico(id, c.dest.token))?.codigoSituacao).toBe(6);
    });

    test('refusal: 1 → 2 → 3 → 8 (motivo + justificativa) → 9; afterwards only the remetente sees it', async () => {
      const id = await novoTramite();
      await passoOk('ENVIAR_COMPONENTES_DIGITAIS', id, c.rem.token);
      await passoOk('RECEBER_METADADOS', id, c.dest.token);
      const recusa = await passoOk('RECUSAR', id, c.dest.token, {
        motivo: 'MOTIVO_03',
        justificativa: '  Faltou o componente digital do documento 4.  ',
      });
      expect(recusa.evento).toMatchObject({
        situacao: 'RECUSADO',
        lado: 'DESTINATARIO',
        motivoRecusa: 'MOTIVO_03',
        justificativa: 'Faltou o componente digital do documento 4.',
      });
      expect(await lerHistorico(id, c.dest.token)).toBeNull();
      await passoOk('DAR_CIENCIA_RECUSA', id, c.rem.token);
      const t = (await lerHistorico(id))!;
      expect(t).toMatchObject({ situacao: 'CIENCIA_RECUSA', codigoSituacao: 9, finalizado: true, versao: 5 });
      expect(await semCursores(id, t.historico)).toEqual(
        historicoEsperado([
          { de: null, para: 1, por: 'rem' },
          { de: 1, para: 2, por: 'plataforma' },
          { de: 2, para: 3, por: 'dest' },
          { de: 3, para: 8, por: 'dest', motivo: 'MOTIVO_03', justificativa: 'Faltou o componente digital do documento 4.' },
          { de: 8, para: 9, por: 'rem' },
        ]),
      );
      expect(await lerHistorico(id, c.dest.token)).toBeNull();
    });

    test('refusal from 4 is allowed too', async () => {
      const id = await tramiteEm(4);
      const r = await passoOk('RECUSAR', id, c.dest.token);
      expect(r.evento).toMatchObject({
        situacaoAnterior: chave(4),
        motivoRecusa: RECUSA_PADRAO.motivo,
        justificativa: RECUSA_PADRAO.justificativa,
      });
    });

    test.each(PASSO_POR_ACAO.CANCELAR.de.map((s) => [s]))('cancellation by the remetente from %i → 7', async (de) => {
      const id = await tramiteEm(de);
      const antes = await estado(id);
      const r = await passoOk('CANCELAR', id, c.rem.token, { justificativa: 'Enviado à unidade errada.' });
      expect(r.evento).toMatchObject({
        situacaoAnterior: chave(de),
        situacao: 'CANCELADO',
        lado: 'REMETENTE',
        justificativa: 'Enviado à unidade errada.',
      });
      const t = (await lerHistorico(id))!;
      expect(t).toMatchObject({ codigoSituacao: 7, finalizado: true, versao: antes.versao + 1 });
      const eventos: EventoEsperado[] = [{ de: null, para: 1, por: 'rem' }];
      for (const p of caminhoAte(de))
        eventos.push({
          de: eventos.at(-1)!.para,
          para: p.para,
          por: p.quemMuda === 'PLATAFORMA' ? 'plataforma' : p.lado === 'REMETENTE' ? 'rem' : 'dest',
        });
      eventos.push({ de, para: 7, por: 'rem', justificativa: 'Enviado à unidade errada.' });
      expect(await semCursores(id, t.historico)).toEqual(historicoEsperado(eventos));
    });
  });

  describe('every refused move, generated from PASSOS', () => {
    const tramitePorSituacao = new Map<Situacao, number>();
    const quem = () =>
      [
        { nome: 'remetente', viewer: c.rem.viewer, token: c.rem.token },
        { nome: 'destinatário', viewer: c.dest.viewer, token: c.dest.token },
        { nome: 'PEN_ADMIN', viewer: c.admin.viewer, token: c.admin.token },
        { nome: 'unrelated agency', viewer: c.outro.viewer, token: c.outro.token },
      ] as const;

    /**
     * What a step must answer, from the rules: someone who cannot see the trâmite (no side, or the
     * destinatário after its refusal) is told it does not exist; PEN_ADMIN, who sees all, takes no
     * side's step (docs/domain.md §5) and only cancels; then the side is checked (the wrong side is
     * told whose step it is, whatever the status); then the status. null: allowed, not tried.
     */
    function esperado(viewer: Viewer, situacao: Situacao, p: Passo): Record<string, unknown> | null {
      const t = { ...c.participantes, situacao };
      const lados = ladosDoViewer(viewer, t);
      if (!canReadTramite(viewer, t)) return { __typename: 'ErroTramiteNaoEncontrado', codigo: 'TRAMITE_NAO_ENCONTRADO' };
      if (viewer.papeis.has('PEN_ADMIN')) {
        if (p.acao !== 'CANCELAR') return { __typename: 'ErroPapelSemPermissao', codigo: 'PAPEL_SEM_PERMISSAO' };
      } else if (!lados.includes(p.lado)) {
        return { __typename: 'ErroAcaoNaoPermitida', codigo: 'ACAO_NAO_PERMITIDA', ladoExigido: p.lado, seusLados: lados };
      }
      if (!p.de.includes(situacao)) {
        return {
          __typename: 'ErroTransicaoInvalida',
          codigo: 'TRANSICAO_INVALIDA',
          situacaoAtual: chave(situacao),
          acaoSolicitada: p.acao,
          acoesPossiveis: acoesPermitidas(viewer, t).map((x) => x.acao),
        };
      }
      return null;
    }

    beforeAll(async () => {
      for (const s of SITUACOES) tramitePorSituacao.set(s, await tramiteEm(s));
    });

    test('one trâmite in each of the ten statuses', async () => {
      for (const s of SITUACOES) expect((await estado(tramitePorSituacao.get(s)!)).situacao).toBe(s);
    });

    test('each status × each step mutation × remetente, destinatário, PEN_ADMIN, unrelated: the rules’ answer, nothing changed', async () => {
      const antes = new Map<Situacao, Awaited<ReturnType<typeof estado>>>();
      for (const s of SITUACOES) antes.set(s, await estado(tramitePorSituacao.get(s)!));
      const eventosAntes = await totalEventos();
      let tentados = 0;
      let permitidos = 0;
      let porTipo: Record<string, number> = {};
      for (const s of SITUACOES) {
        for (const q of quem()) {
          // The steps the API lists as allowed are exactly the ones the matrix leaves untried.
          const acoes = acoesPermitidas(q.viewer, { ...c.participantes, situacao: s }).map((x) => x.acao);
          permitidos += PASSOS_MUTACAO.filter((p) => acoes.includes(p.acao)).length;
          const casos = PASSOS_MUTACAO.map((p) => ({ p, esperado: esperado(q.viewer, s, p) })).filter((x) => x.esperado !== null);
          const respostas = await passos(
            // PEN_ADMIN cancels only with the agency's request reason: given, so the status is what refuses it.
            casos.map((x) => ({
              acao: x.p.acao,
              tramiteId: tramitePorSituacao.get(s)!,
              extra: q.nome === 'PEN_ADMIN' && x.p.acao === 'CANCELAR' ? { justificativa: 'Pedido do órgão.' } : undefined,
            })),
            q.token,
          );
          casos.forEach((x, i) => {
            const r = respostas[i]!;
            expect(r, `status ${s}, ${q.nome}, ${x.p.acao}`).toMatchObject(x.esperado!);
            expect(r.mensagem.length).toBeGreaterThan(0);
            porTipo[r.__typename] = (porTipo[r.__typename] ?? 0) + 1;
          });
          tentados += casos.length;
          const depois = await estado(tramitePorSituacao.get(s)!);
          expect(depois, `status ${s} after ${q.nome}`).toEqual(antes.get(s));
        }
      }
      expect(await totalEventos()).toBe(eventosAntes);
      // The matrix covered every kind of refusal, and stayed bounded.
      expect(Object.keys(porTipo).sort()).toEqual([
        'ErroAcaoNaoPermitida',
        'ErroPapelSemPermissao',
        'ErroTramiteNaoEncontrado',
        'ErroTransicaoInvalida',
      ]);
      expect(tentados + permitidos).toBe(SITUACOES.length * quem().length * PASSOS_MUTACAO.length);
      porTipo = {};
    });

    test('the allowed moves from each status succeed (the other half of the table), each by its side', async () => {
      for (const s of SITUACOES) {
        for (const p of PASSOS_MUTACAO.filter((x) => x.de.includes(s))) {
          const id = await tramiteEm(s);
          await passoOk(p.acao, id, tokenDoLado(p.lado));
          expect((await estado(id)).situacao).toBe(p.para);
        }
      }
    });

    test('acoesPermitidas per viewer, for each status; null where the viewer cannot read the trâmite', async () => {
      const spe = { viewer: { ...c.rem.viewer, sujeito: 'spe:teste', papeis: new Set(['SPE'] as const) }, token: '' };
      const [raiz] = await rows<{ repositorio_id: number; numero_identificacao: number }>(
        'select repositorio_id::int as repositorio_id, numero_identificacao::int as numero_identificacao from estruturas where id = $1',
        [c.rem.id],
      );
      spe.token = await gw.token({
        sub: 'spe:teste',
        orgao: { repositorio: raiz!.repositorio_id, estrutura: raiz!.numero_identificacao },
        roles: ['SPE'],
      });
      const viewers = [...quem(), { nome: 'remetente SPE', ...spe }];
      const campos = SITUACOES.map(
        (s) => `s${s}: tramite(id: "${gid('Tramite', tramitePorSituacao.get(s)!)}") { codigoSituacao acoesPermitidas }`,
      ).join('\n');
      for (const q of viewers) {
        const data = await ok(`{ ${campos} }`, {}, q.token);
        for (const s of SITUACOES) {
          const t = { ...c.participantes, situacao: s };
          const esperadoS = canReadTramite(q.viewer, t)
            ? { codigoSituacao: s, acoesPermitidas: acoesPermitidas(q.viewer, t).map((p) => p.acao) }
            : null;
          expect(data[`s${s}`], `${q.nome}, status ${s}`).toEqual(esperadoS);
        }
      }
    });
  });

  describe('iniciarTramite refusals', () => {
    test('destination unit not enabled to receive: ErroUnidadeNaoHabilitada with the manual’s message', async () => {
      const antes = await totalTramites();
      const u = c.dest.semRecebimento[0]!;
      const r = await iniciar({ unidadeDestinataria: gid('UnidadeAdministrativa', u.id) });
      expect(r).toMatchObject({
        __typename: 'ErroUnidadeNaoHabilitada',
        codigo: 'UNIDADE_NAO_HABILITADA',
        sigla: u.sigla,
        mensagem: `A Unidade ${u.sigla} não está configurada para receber processos/documentos avulsos.`,
      });
      expect(await totalTramites()).toBe(antes);
    });

    test('sender unit not enabled to send: ErroUnidadeNaoHabilitada', async () => {
      const antes = await totalTramites();
      const u = c.rem.semEnvio[0]!;
      const r = await iniciar({ unidadeRemetente: gid('UnidadeAdministrativa', u.id) });
      expect(r).toMatchObject({
        __typename: 'ErroUnidadeNaoHabilitada',
        sigla: u.sigla,
        mensagem: `A Unidade ${u.sigla} não está configurada para enviar processos/documentos avulsos.`,
      });
      expect(await totalTramites()).toBe(antes);
    });

    test('one trâmite in progress per process (erro 0044, codigoPlataforma): refused while open (also at 8), with or without the NRE, allowed again once final', async () => {
      const numeroProcesso = `${backend}-0044-${Date.now()}`;
      const primeiro = await iniciar({ numeroProcesso });
      const nre: string = primeiro.tramite.nre;
      const id1 = dbId(primeiro.tramite.id);
      const emAndamento = async (nreAberto: string) => {
        for (const pedido of [{ numeroProcesso, nre: nreAberto }, { numeroProcesso }]) {
          const r = await iniciar(pedido);
          expect(r, JSON.stringify(r)).toMatchObject({
            __typename: 'ErroProcessoEmAndamento',
            codigo: 'PROCESSO_EM_ANDAMENTO',
            codigoPlataforma: '0044',
            nre: nreAberto,
          });
          expect(r.mensagem).toContain('0044');
        }
      };
      await emAndamento(nre);
      await passoOk('ENVIAR_COMPONENTES_DIGITAIS', id1, c.rem.token);
      await passoOk('RECEBER_METADADOS', id1, c.dest.token);
      await passoOk('RECUSAR', id1, c.dest.token);
      await emAndamento(nre); // 8 is not final: the remetente has not acknowledged the refusal yet
      await passoOk('DAR_CIENCIA_RECUSA', id1, c.rem.token);
      // No success yet, so no NRE to recover: the platform issues a new one (docs/domain.md §2), even if the old one is named.
      const segundo = await iniciar({ numeroProcesso, nre });
      expect(segundo.__typename, JSON.stringify(segundo)).toBe('TransicaoRealizada');
      expect(segundo.tramite.nre).toMatch(/^\d{16}$/);
      expect(segundo.tramite.nre).not.toBe(nre);
      const id2 = dbId(segundo.tramite.id);
      expect(id2).not.toBe(id1);
      await emAndamento(segundo.tramite.nre);
      await passoOk('CANCELAR', id2, c.rem.token);
      const terceiro = await iniciar({ numeroProcesso });
      expect(terceiro.__typename).toBe('TransicaoRealizada');
      const [{ n }] = (await rows<{ n: number }>(
        `select count(*)::int as n from tramites where numero_processo = $1 and tipo = 'PROCESSO' and situacao not in (6, 7, 9, 10)`,
        [numeroProcesso],
      )) as [{ n: number }];
      expect(n).toBe(1);
    });

    test('an agency that is not the sender unit’s: ErroAcaoNaoPermitida', async () => {
      const antes = await totalTramites();
      const r1 = await iniciar({}, c.outro.token);
      expect(r1).toMatchObject({
        __typename: 'ErroAcaoNaoPermitida',
        codigo: 'ACAO_NAO_PERMITIDA',
        ladoExigido: 'REMETENTE',
        seusLados: [],
      });
      const r2 = await iniciar({}, c.dest.token);
      expect(r2).toMatchObject({ __typename: 'ErroAcaoNaoPermitida', ladoExigido: 'REMETENTE', seusLados: ['DESTINATARIO'] });
      expect(await totalTramites()).toBe(antes);
    });

    test('zod validation: every problem named by its field, nothing created', async () => {
      const antes = await totalTramites();
      const eventosAntes = await totalEventos();
      const campos = (r: Resultado) => (r.problemas as Array<{ campo: string }>).map((p) => p.campo).sort();
      const esperaValidacao = (r: Resultado, esperado: string[]) => {
        expect(r.__typename, JSON.stringify(r)).toBe('ErroValidacao');
        expect(r.codigo).toBe('DADOS_INVALIDOS');
        expect(campos(r)).toEqual(esperado);
      };
      esperaValidacao(await iniciar({ descricao: 'x'.repeat(101) }), ['descricao']);
      esperaValidacao(await iniciar({ nre: '123' }), ['nre']);
      esperaValidacao(await iniciar({ nre: '12345678901234567' }), ['nre']);
      esperaValidacao(await iniciar({ chaveIdempotencia: 'curta' }), ['chaveIdempotencia']);
      esperaValidacao(await iniciar({ descricao: 'x'.repeat(101), nre: 'abc', chaveIdempotencia: 'k' }), [
        'chaveIdempotencia',
        'descricao',
        'nre',
      ]);
      esperaValidacao(await iniciar({ numeroProcesso: 'n'.repeat(51) }), ['numeroProcesso']);
      const mesma = gid('UnidadeAdministrativa', c.rem.envio[0]!.id);
      esperaValidacao(await iniciar({ unidadeDestinataria: mesma, unidadeRemetente: mesma }), ['unidadeDestinataria']);
      // 100 characters exactly is fine.
      expect((await iniciar({ descricao: 'y'.repeat(100) })).__typename).toBe('TransicaoRealizada');
      expect(await totalTramites()).toBe(antes + 1);

      const id = await tramiteEm(3);
      const meio = await estado(id);
      const eventosMeio = await totalEventos();
      const [cancelar, recusar, recusarVazia, chaveCurta] = await passos(
        [
          { acao: 'CANCELAR', tramiteId: id, extra: { justificativa: 'j'.repeat(1001) } },
          { acao: 'RECUSAR', tramiteId: id, extra: { justificativa: 'j'.repeat(1001) } },
          { acao: 'RECUSAR', tramiteId: id, extra: { justificativa: '   ' } },
          { acao: 'RECEBER_COMPONENTES_DIGITAIS', tramiteId: id, extra: { chaveIdempotencia: 'k'.repeat(7) } },
        ],
        c.rem.token,
      );
      esperaValidacao(cancelar!, ['justificativa']);
      esperaValidacao(recusar!, ['justificativa']);
      esperaValidacao(recusarVazia!, ['justificativa']);
      esperaValidacao(chaveCurta!, ['chaveIdempotencia']);
      expect(await estado(id)).toEqual(meio);
      expect(await totalEventos()).toBe(eventosMeio);
      // 1,000 characters exactly is fine.
      expect((await passo('RECUSAR', id, c.dest.token, { justificativa: 'j'.repeat(1000) })).__typename).toBe('TransicaoRealizada');
      expect(eventosAntes).toBeLessThan(await totalEventos());
    });
  });

  describe('idempotency and optimistic concurrency', () => {
    test('iniciarTramite retried with the same key: the first result, repetida, one trâmite, one event', async () => {
      const antes = await totalTramites();
      const chaveIdempotencia = `inicio-${backend}-0001`;
      // A retry sends the very same request (the helper would otherwise vary the description).
      const mesmoPedido = { chaveIdempotencia, numeroProcesso: `${backend}-idem-1`, descricao: 'Pedido repetido' };
      const r1 = await iniciar(mesmoPedido);
      const r2 = await iniciar(mesmoPedido);
      expect(r1).toMatchObject({ __typename: 'TransicaoRealizada', repetida: false });
      expect(r2).toMatchObject({
        __typename: 'TransicaoRealizada',
        repetida: true,
        tramite: { id: r1.tramite.id, nre: r1.tramite.nre },
        evento: { cursor: r1.evento.cursor },
      });
      expect(await totalTramites()).toBe(antes + 1);
      expect((await estado(dbId(r1.tramite.id))).eventos).toBe(1);
      // The same key for another start (another process number) is another operation.
      const r3 = await iniciar({ chaveIdempotencia, numeroProcesso: `${backend}-idem-2` });
      expect(r3).toMatchObject({ __typename: 'ErroChaveIdempotenciaReutilizada', codigo: 'CHAVE_IDEMPOTENCIA_REUTILIZADA' });
      expect(await totalTramites()).toBe(antes + 1);
    });

    test('a step retried with the same key: the first result with repetida, no second event; another operation → ErroChaveIdempotenciaReutilizada', async () => {
      // 1 → 2 is the platform's (an upload takes no key): the retried step is the remetente's cancellation at 2.
      const id = await tramiteEm(2);
      const chaveIdempotencia = `passo-${backend}-${id}`;
      const r1 = await passo('CANCELAR', id, c.rem.token, { chaveIdempotencia });
      const r2 = await passo('CANCELAR', id, c.rem.token, { chaveIdempotencia });
      expect(r1).toMatchObject({ __typename: 'TransicaoRealizada', repetida: false, tramite: { versao: 3 } });
      expect(r2).toMatchObject({
        __typename: 'TransicaoRealizada',
        repetida: true,
        evento: r1.evento,
        tramite: { id: r1.tramite.id, codigoSituacao: 7, versao: 3 },
      });
      expect(await estado(id)).toMatchObject({ situacao: 7, versao: 3, eventos: 3 });

      const eventos = await totalEventos();
      const outraAcao = await passo('DAR_CIENCIA_RECUSA', id, c.rem.token, { chaveIdempotencia });
      expect(outraAcao).toMatchObject({ __typename: 'ErroChaveIdempotenciaReutilizada' });
      const outroTramite = await passo('CANCELAR', await novoTramite(), c.rem.token, { chaveIdempotencia });
      expect(outroTramite).toMatchObject({ __typename: 'ErroChaveIdempotenciaReutilizada' });
      const inicio = await iniciar({ chaveIdempotencia });
      expect(inicio).toMatchObject({ __typename: 'ErroChaveIdempotenciaReutilizada' });
      expect(await estado(id)).toMatchObject({ situacao: 7, versao: 3, eventos: 3 });
      expect(await totalEventos()).toBe(eventos + 1); // only the novoTramite above

      // Keys belong to their subject: the destinatário's same key is its own.
      const outro = await tramiteEm(2);
      const dest = await passo('RECEBER_METADADOS', outro, c.dest.token, { chaveIdempotencia });
      expect(dest).toMatchObject({ __typename: 'TransicaoRealizada', repetida: false, tramite: { codigoSituacao: 3 } });
    });

    test('a refused step does not bind its key: the key may be used for the step that is possible', async () => {
      const id = await novoTramite();
      const chaveIdempotencia = `recusado-${backend}-${id}`;
      const r1 = await passo('RECEBER_RECIBO_CONCLUSAO', id, c.rem.token, { chaveIdempotencia });
      expect(r1).toMatchObject({ __typename: 'ErroTransicaoInvalida', situacaoAtual: chave(1) });
      const r2 = await passo('CANCELAR', id, c.rem.token, { chaveIdempotencia });
      expect(r2).toMatchObject({ __typename: 'TransicaoRealizada', repetida: false });
    });

    test('situacaoEsperada / versaoEsperada mismatch → ErroConflito with the current situation and version; nothing changed', async () => {
      const id = await tramiteEm(2);
      const antes = await estado(id);
      const eventos = await totalEventos();
      const [porSituacao, porVersao, ambos] = await passos(
        [
          { acao: 'RECEBER_METADADOS', tramiteId: id, extra: { situacaoEsperada: chave(1) } },
          { acao: 'RECEBER_METADADOS', tramiteId: id, extra: { versaoEsperada: antes.versao - 1 } },
          { acao: 'RECEBER_METADADOS', tramiteId: id, extra: { situacaoEsperada: chave(2), versaoEsperada: antes.versao + 5 } },
        ],
        c.dest.token,
      );
      for (const r of [porSituacao, porVersao, ambos]) {
        expect(r, JSON.stringify(r)).toMatchObject({
          __typename: 'ErroConflito',
          codigo: 'CONFLITO',
          situacaoAtual: chave(2),
          versaoAtual: antes.versao,
        });
      }
      expect(await estado(id)).toEqual(antes);
      expect(await totalEventos()).toBe(eventos);
      const certo = await passo('RECEBER_METADADOS', id, c.dest.token, { situacaoEsperada: chave(2), versaoEsperada: antes.versao });
      expect(certo).toMatchObject({ __typename: 'TransicaoRealizada', tramite: { codigoSituacao: 3, versao: antes.versao + 1 } });
    });
  });

  describe('PEN_ADMIN acts for no side', () => {
    test('it starts nothing and takes no side’s step; its cancellation on request is recorded as the platform: porAdministradorPen true, orgaoAtor null, ator = its sub', async () => {
      const antes = await totalTramites();
      expect(await iniciar({}, c.admin.token)).toMatchObject({ __typename: 'ErroPapelSemPermissao', codigo: 'PAPEL_SEM_PERMISSAO' });
      expect(await totalTramites()).toBe(antes);
      const id = await novoTramite();
      const eventosAntes = await totalEventos();
      for (const acao of ['ENVIAR_COMPONENTES_DIGITAIS', 'RECEBER_METADADOS'] as const) {
        expect(await passo(acao, id, c.admin.token)).toMatchObject({ __typename: 'ErroPapelSemPermissao' });
      }
      expect(await totalEventos()).toBe(eventosAntes);
      await passoOk('ENVIAR_COMPONENTES_DIGITAIS', id, c.rem.token);
      await passoOk('CANCELAR', id, c.admin.token, { justificativa: 'Pedido do órgão remetente (ofício 12/2026).' });
      const data = await ok(
        `query($id: ID!) { tramite(id: $id) { historico { ${CAMPOS_EVENTO} } } }`,
        { id: gid('Tramite', id) },
        c.rem.token,
      );
      const h = (data.tramite.historico as Array<Record<string, any>>).map(({ cursor: _c, ...e }) => e);
      expect(h[2]).toEqual({
        situacaoAnterior: chave(2),
        situacao: chave(7),
        lado: 'PLATAFORMA',
        ator: c.admin.conta.sujeito,
        porAdministradorPen: true,
        orgaoAtor: null,
        motivoRecusa: null,
        justificativa: 'Pedido do órgão remetente (ofício 12/2026).',
      });
      const [sql] = await rows<{ n: number }>(
        'select count(*)::int as n from tramite_eventos where tramite_id = $1 and ator_pen_admin and ator_orgao_id is null',
        [id],
      );
      expect(sql!.n).toBe(1);
    });
  });

  describe('grafoSituacoes', () => {
    test('the ten situations and every PASSO with its mutation, each of which exists in the schema', async () => {
      const data = await ok(
        `{ grafoSituacoes { situacoes { situacao codigo nome final quemDeveAgir } passos { acao de para lado mutacao } }
           __type(name: "Mutation") { fields { name } } }`,
        {},
        c.rem.token,
      );
      expect(data.grafoSituacoes.situacoes).toEqual(
        SITUACOES.map((s) => ({
          situacao: chave(s),
          codigo: s,
          nome: SITUACAO_INFO[s].nome,
          final: SITUACAO_INFO[s].final,
          quemDeveAgir: SITUACAO_INFO[s].quemDeveAgir,
        })),
      );
      expect(data.grafoSituacoes.passos).toEqual(
        PASSOS.map((p) => ({ acao: p.acao, de: p.de.map(chave), para: chave(p.para), lado: p.lado, mutacao: MUTACAO_POR_ACAO[p.acao] })),
      );
      const mutacoes = new Set((data.__type.fields as Array<{ name: string }>).map((f) => f.name));
      for (const p of PASSOS) {
        const nome = MUTACAO_POR_ACAO[p.acao];
        if (p.lado === 'PLATAFORMA') expect(nome, p.acao).toBeNull();
        else expect(mutacoes.has(nome!), `${p.acao} → ${nome}`).toBe(true);
      }
      expect(new Set(PASSOS.map((p) => MUTACAO_POR_ACAO[p.acao]).filter(Boolean)).size).toBe(PASSOS.length - 1);
    });
  });

  // Last: it cancels every stale trâmite of the database (the seed's included, found by SQL).
  describe('automatic cancellation (correctness; the race of two instances is in concurrency.test.ts)', () => {
    test('every trâmite in 1-4 unchanged for more than 8 days moves to 10 exactly once; nothing else changes', async () => {
      const agora = new Date();
      const dias = DIAS_PARA_CANCELAMENTO_AUTOMATICO;
      const velhos: number[] = [];
      const novos: number[] = [];
      for (const s of PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE.de) {
        for (let i = 0; i < 3; i++) velhos.push(await tramiteEm(s));
        novos.push(await tramiteEm(s));
      }
      // Just past the limit for the stale ones; the fresh ones changed status just now.
      await rows(`update tramites set situacao_alterada_em = $1::timestamptz where id in (${velhos.join(',')})`, [
        new Date(agora.getTime() - dias * DIA_MS - 60_000).toISOString(),
      ]);
      const limite = new Date(agora.getTime() - dias * DIA_MS).toISOString();
      const parados = await rows<{ id: number; situacao: number; versao: number }>(
        'select id::int as id, situacao::int as situacao, versao::int as versao from tramites where situacao between 1 and 4 and situacao_alterada_em < $1::timestamptz order by id',
        [limite],
      );
      expect(parados.map((p) => p.id)).toEqual(expect.arrayContaining(velhos));
      const outros = await rows<{ id: number; situacao: number; versao: number }>(
        'select id::int as id, situacao::int as situacao, versao::int as versao from tramites where not (situacao between 1 and 4 and situacao_alterada_em < $1::timestamptz) order by id',
        [limite],
      );
      const eventosAntes = await totalEventos();

      expect(await cancelarTramitesParados(gw.database.db, { agora, dias, lote: 7 })).toBe(parados.length);
      expect(await totalEventos()).toBe(eventosAntes + parados.length);

      const depois = await rows<{ id: number; situacao: number; versao: number }>(
        `select id::int as id, situacao::int as situacao, versao::int as versao from tramites where id in (${parados.map((p) => p.id).join(',')}) order by id`,
      );
      expect(depois).toEqual(parados.map((p) => ({ id: p.id, situacao: 10, versao: p.versao + 1 })));
      const eventos10 = await rows<{
        tramite_id: number;
        de: number;
        ator: string;
        lado: string;
        orgao: number | null;
        admin: boolean;
        em: string;
      }>(
        `select tramite_id::int as tramite_id, de_situacao::int as de, ator_sujeito as ator, ator_lado as lado, ator_orgao_id as orgao,
                ator_pen_admin as admin, to_char(ocorrido_em at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as em
           from tramite_eventos where para_situacao = 10 and tramite_id in (${parados.map((p) => p.id).join(',')}) order by tramite_id`,
      );
      expect(eventos10).toEqual(
        parados.map((p) => ({
          tramite_id: p.id,
          de: p.situacao,
          ator: ATOR_PLATAFORMA,
          lado: 'PLATAFORMA',
          orgao: null,
          admin: false,
          em: agora.toISOString(),
        })),
      );
      const outrosDepois = await rows<{ id: number; situacao: number; versao: number }>(
        `select id::int as id, situacao::int as situacao, versao::int as versao from tramites where id in (${outros.map((p) => p.id).join(',')}) order by id`,
      );
      expect(outrosDepois).toEqual(outros);
      for (const id of novos) expect((await estado(id)).situacao).toBeLessThanOrEqual(4);

      // The history shows it; and a second run finds nothing left.
      const data = await ok(
        `query($id: ID!) { tramite(id: $id) { historico { situacao lado ator porAdministradorPen orgaoAtor { id } } } }`,
        { id: gid('Tramite', velhos[0]!) },
        c.rem.token,
      );
      expect(data.tramite.historico.at(-1)).toEqual({
        situacao: chave(10),
        lado: 'PLATAFORMA',
        ator: ATOR_PLATAFORMA,
        porAdministradorPen: false,
        orgaoAtor: null,
      });
      expect(await cancelarTramitesParados(gw.database.db, { agora, dias, lote: 7 })).toBe(0);
    });
  });
});
