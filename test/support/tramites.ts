// Trâmites for tests: one driven to any status with a small real document (`conduzirTramite`), and
// finding a trâmite to move in the demo data, for tests that need one live event.
import { randomBytes } from 'node:crypto';
import { assinarComoSpeDemo } from '../../src/demo/chaves-spe.js';
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

/** Steps that take no reason or extra field (`AcaoTramiteInput`; the receipt's input has only optional extras). */
const SIMPLE_STEPS: Acao[] = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

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

/** The input type of a step's mutation that takes no reason (the receipt's has only optional extras). */
export const inputDoPasso = (mutacao: string) =>
  mutacao === MUTACAO_POR_ACAO.ENVIAR_RECIBO_CONCLUSAO ? 'EnviarReciboConclusaoInput' : 'AcaoTramiteInput';

/** The mutation document moving `tramite.mutation`'s step, with its `$input`. */
export const stepMutation = (tramite: MovableTramite) =>
  `mutation Mover($input: ${inputDoPasso(tramite.mutation)}!) { r: ${tramite.mutation}(input: $input) { __typename ... on TransicaoRealizada { tramite { id situacao } } } }`;

/** The step mutations' answer as the helper reads it. */
const PASSO = (mutacao: string, tipo: string) =>
  `mutation($input: ${tipo}!) { r: ${mutacao}(input: $input) { __typename ... on TransicaoRealizada { tramite { id idt codigoSituacao } } ... on Erro { codigo mensagem } } }`;

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
    PASSO('iniciarTramite', 'IniciarTramiteInput'),
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
    const { r } = await gw.ok(PASSO(mutacao, tipo), { input: { tramite: t.id, ...input } }, token);
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
  const texto = await textoDoReciboDeConclusao(gw, t.id, lados.dest.token);
  await passo('enviarReciboConclusao', 'EnviarReciboConclusaoInput', lados.dest.token, { hashDaAssinatura: assinarComoSpeDemo(texto) });
  if (situacao === 5) return t;
  await passo('registrarReciboConclusaoRecebido', 'AcaoTramiteInput', lados.rem.token);
  return t;
}
