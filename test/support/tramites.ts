// Trâmites for tests: one driven to any status with a small real document (`conduzirTramite`), and
// finding a trâmite to move in the demo data, for tests that need one live event.
import { randomBytes } from 'node:crypto';
import { assinarComoSpeDemo } from '../../src/demo/chaves-spe.js';
import { COMPONENTE_DE_DEMO } from '../../src/demo/conducao.js';
import { MUTACAO_POR_ACAO } from '../../src/tramites/graphql/tramite.js';
import type { Acao, Situacao } from '../../src/tramites/regras.js';
import {
  arquivo,
  documentosDe,
  enviarComponentes,
  PROCESSO_PUBLICO,
  sha256,
  textoDoReciboDeConclusao,
  type Arquivo,
  type Lados,
} from './componentes.js';
import type { TestGateway } from './gateway.js';
import { gid } from './ids.js';

/** Steps that take no reason, file, hash or signature (`AcaoTramiteInput`). */
const SIMPLE_STEPS: Acao[] = ['RECEBER_METADADOS', 'RECEBER_RECIBO_CONCLUSAO'];

export interface MovableTramite {
  id: string;
  idt: string;
  /** The mutation field of a step this token may take now. */
  mutation: string;
}

/** Trâmites the token's holder can move now with a simple step, each with that step's mutation. */
export async function movableTramites(gw: TestGateway, token: string): Promise<MovableTramite[]> {
  const data = await gw.ok('{ tramites(first: 100) { nodes { id idt acoesPermitidas } } }', {}, token);
  const found: MovableTramite[] = [];
  for (const node of data.tramites.nodes as { id: string; idt: string; acoesPermitidas: Acao[] }[]) {
    const acao = node.acoesPermitidas.find((a) => SIMPLE_STEPS.includes(a));
    if (acao) found.push({ id: node.id, idt: node.idt, mutation: MUTACAO_POR_ACAO[acao]! });
  }
  if (found.length === 0) throw new Error('no trâmite this token can move in the demo data');
  return found;
}

/** The mutation document moving `tramite.mutation`'s step, with its `$input`. */
export const stepMutation = (tramite: MovableTramite) =>
  `mutation Mover($input: AcaoTramiteInput!) { r: ${tramite.mutation}(input: $input) { __typename ... on TransicaoRealizada { tramite { id situacao } } } }`;

/** A step mutation's answer: the trâmite it moved, or the coded error (with `extra` selections for a test's own errors). */
export const mutacaoDePasso = (mutacao: string, tipo: string, extra = '') =>
  `mutation($input: ${tipo}!) { r: ${mutacao}(input: $input) { __typename ... on TransicaoRealizada { tramite { id idt codigoSituacao } } ... on Erro { codigo mensagem } ... on ErroValidacao { problemas { campo mensagem } } ${extra} } }`;

export interface TramiteConduzido {
  id: string;
  idt: string;
  /** The document's one component, with its bytes (hash, size and MIME type as declared). */
  arquivo: Arquivo;
}

export interface OpcoesConducao {
  numeroProcesso?: string;
  tipo?: 'PROCESSO' | 'DOCUMENTO_AVULSO';
  ambiente?: 'PRODUCAO' | 'HOMOLOGACAO';
  /** Extra fields of `iniciarTramite`'s input (nre, descricao, chaveIdempotencia…). */
  inicio?: Record<string, unknown>;
}

let conduzidos = 0;

/**
 * Starts a trâmite from `lados.rem` to `lados.dest` carrying one small real document (one PDF-typed
 * component whose hash is its bytes'), and drives it to `situacao` as the two SPEs would: upload (the
 * platform moves it to 2), metadata read (3), every hash confirmed (4), the recibo de conclusão signed with
 * the demo SPE key (5), acknowledged (6); 7 cancels at 1, 8 refuses at 3 (motive 99), 9 acknowledges it.
 * Status 10 is the platform's own (the auto-cancel job), not a client's step.
 */
export async function conduzirTramite(
  gw: TestGateway,
  lados: Pick<Lados, 'rem' | 'dest'>,
  situacao: Exclude<Situacao, 10>,
  opcoes: OpcoesConducao = {},
): Promise<TramiteConduzido> {
  conduzidos += 1;
  const a = arquivo('oficio.pdf', randomBytes(256 + (conduzidos % 64)));
  const { r: inicio } = await gw.ok(
    mutacaoDePasso('iniciarTramite', 'IniciarTramiteInput'),
    {
      input: {
        tipo: opcoes.tipo ?? 'PROCESSO',
        numeroProcesso: opcoes.numeroProcesso ?? `CT-${Date.now().toString(36)}-${conduzidos}`,
        unidadeRemetente: gid('UnidadeAdministrativa', lados.rem.unidade),
        unidadeDestinataria: gid('UnidadeAdministrativa', lados.dest.unidade),
        ...(opcoes.ambiente ? { ambiente: opcoes.ambiente } : {}),
        processo: PROCESSO_PUBLICO,
        documentos: documentosDe([a]),
        ...opcoes.inicio,
      },
    },
    lados.rem.token,
  );
  if (inicio.__typename !== 'TransicaoRealizada') throw new Error(`iniciarTramite: ${JSON.stringify(inicio)}`);
  const t: TramiteConduzido = { id: inicio.tramite.id, idt: inicio.tramite.idt, arquivo: a };
  const passo = async (mutacao: string, tipo: string, token: string, input: Record<string, unknown> = {}) => {
    const { r } = await gw.ok(mutacaoDePasso(mutacao, tipo), { input: { tramite: t.id, ...input } }, token);
    if (r.__typename !== 'TransicaoRealizada') throw new Error(`${mutacao}: ${JSON.stringify(r)}`);
  };
  if (situacao === 1) return t;
  if (situacao === 7) {
    await passo('cancelarTramite', 'CancelarTramiteInput', lados.rem.token);
    return t;
  }
  const envio = await enviarComponentes(gw, lados.rem.token, t.idt, [a]);
  if (envio.body.situacao !== 2) throw new Error(`upload: ${JSON.stringify(envio.body)}`);
  if (situacao === 2) return t;
  await passo('registrarMetadadosRecebidos', 'AcaoTramiteInput', lados.dest.token);
  if (situacao === 3) return t;
  if (situacao === 8 || situacao === 9) {
    await passo('recusarTramite', 'RecusarTramiteInput', lados.dest.token, {
      motivo: 'MOTIVO_99',
      justificativa: 'Unidade não configurada.',
    });
    if (situacao === 9) await passo('darCienciaRecusa', 'AcaoTramiteInput', lados.rem.token);
    return t;
  }
  await passo('confirmarRecebimentoDeComponentes', 'ConfirmarRecebimentoDeComponentesInput', lados.dest.token, {
    hashes: [{ documento: 1, componente: 1, hash: sha256(a.bytes) }],
  });
  if (situacao === 4) return t;
  const texto = await textoDoReciboDeConclusao(gw, t.id, lados.dest.token, opcoes.ambiente);
  await passo('enviarReciboConclusao', 'EnviarReciboConclusaoInput', lados.dest.token, { hashDaAssinatura: assinarComoSpeDemo(texto) });
  if (situacao === 5) return t;
  await passo('registrarReciboConclusaoRecebido', 'AcaoTramiteInput', lados.rem.token);
  return t;
}

/** The one component of `CONTEUDO_DE_DEMO` (src/demo/conducao.ts), as the tests' uploads send it. */
export const ARQUIVO_DE_DEMO: Arquivo = arquivo('oficio.pdf', COMPONENTE_DE_DEMO);

/** `processo` and `documentos` of an `iniciarTramite` input: one public document with `ARQUIVO_DE_DEMO`. */
export const CONTEUDO_DE_DEMO_GQL = { processo: PROCESSO_PUBLICO, documentos: documentosDe([ARQUIVO_DE_DEMO]) };

async function postar(url: string, token: string, body: BodyInit, json: boolean): Promise<{ data?: any; errors?: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (json) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: 'POST', headers, body });
  return (await res.json()) as { data?: any; errors?: unknown };
}

/** What a step's answer selects: the fields of a TransicaoRealizada (its trâmite and event) and of an Erro. */
export interface SelecaoDoPasso {
  /** Fields of TransicaoRealizada other than `repetida` (always selected), e.g. `tramite { id } evento { cursor }`. */
  sucesso: string;
  erro: string;
}

/**
 * One step on a trâmite started with `CONTEUDO_DE_DEMO_GQL`, over HTTP as its SPE takes it, answering the mutation's
 * body (its result as `data.r`): the upload of `ARQUIVO_DE_DEMO` with the GraphQL multipart request spec (answered as
 * the platform's move to 2 it caused, a TransicaoRealizada with `repetida` false), the confirmation of its hash, the
 * recibo de conclusão signed with the demo key, the bare step otherwise.
 */
export async function passoComConteudo(
  url: string,
  acao: Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>,
  tramite: string,
  token: string,
  selecao: SelecaoDoPasso,
  extra: Record<string, unknown> = {},
): Promise<{ data?: any; errors?: unknown }> {
  if (acao === 'ENVIAR_COMPONENTES_DIGITAIS') {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation($t: ID!, $f: Upload!, $o: ID) { r: enviarComponentesDigitais(tramite: $t, orgao: $o, arquivos: [{ hash: "${ARQUIVO_DE_DEMO.hash}", arquivo: $f }]) { __typename ... on ComponentesDigitaisEnviados { movido: evento { cursor } ${selecao.sucesso} } ... on Erro { ${selecao.erro} } } }`,
        variables: { t: tramite, f: null, o: extra.orgao ?? null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([new Uint8Array(ARQUIVO_DE_DEMO.bytes)], { type: ARQUIVO_DE_DEMO.mimeType }), ARQUIVO_DE_DEMO.nome);
    const res = await postar(url, token, form, false);
    const r = res.data?.r;
    if (r?.__typename === 'ComponentesDigitaisEnviados') {
      const { movido, ...campos } = r;
      if (!movido) throw new Error(`upload did not move trâmite ${tramite} to 2: ${JSON.stringify(res)}`);
      res.data.r = { ...campos, __typename: 'TransicaoRealizada', repetida: false };
    }
    return res;
  }
  let tipo = 'AcaoTramiteInput';
  let doPasso: Record<string, unknown> = {};
  if (acao === 'RECEBER_COMPONENTES_DIGITAIS') {
    tipo = 'ConfirmarRecebimentoDeComponentesInput';
    doPasso = { hashes: [{ documento: 1, componente: 1, hash: ARQUIVO_DE_DEMO.hash }] };
  } else if (acao === 'ENVIAR_RECIBO_CONCLUSAO') {
    tipo = 'EnviarReciboConclusaoInput';
    const consulta = {
      ok: async (q: string, v: Record<string, unknown>, t: string) =>
        (await postar(url, t, JSON.stringify({ query: q, variables: v }), true)).data,
    };
    // A trâmite this viewer cannot read, or that never reached 4, is refused before any signature is checked.
    const texto = await textoDoReciboDeConclusao(consulta, tramite, token)
      .catch(() => textoDoReciboDeConclusao(consulta, tramite, token, 'HOMOLOGACAO'))
      .catch(() => '');
    doPasso = { hashDaAssinatura: assinarComoSpeDemo(texto) };
  } else if (acao === 'RECUSAR') tipo = 'RecusarTramiteInput';
  else if (acao === 'CANCELAR') tipo = 'CancelarTramiteInput';
  const query = `mutation($input: ${tipo}!) { r: ${MUTACAO_POR_ACAO[acao]}(input: $input) { __typename ... on TransicaoRealizada { repetida ${selecao.sucesso} } ... on Erro { ${selecao.erro} } } }`;
  return postar(url, token, JSON.stringify({ query, variables: { input: { tramite, ...doPasso, ...extra } } }), true);
}
