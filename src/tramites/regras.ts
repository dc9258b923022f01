import { actsForAgency, isPenAdmin, type TramiteParticipantes, type Viewer } from '../kernel/viewer.js';

/**
 * The trâmite status machine of Tramita.GOV.BR (docs/domain.md, FAQ 7.12), as plain data.
 * No database and no GraphQL here: the mutations, the auto-cancel job, the seed and the
 * `grafoSituacoes` query all read these tables.
 */

export const SITUACOES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type Situacao = (typeof SITUACOES)[number];

export interface SituacaoInfo {
  codigo: Situacao;
  /** Enum name used by the GraphQL schema. */
  chave: string;
  /** Official name (FAQ 7.12). */
  nome: string;
  final: boolean;
  /** Whose side must act for the trâmite to move on (what the FAQ says about "parados"). */
  quemDeveAgir: LadoAtor | null;
}

export const SITUACAO_INFO: Record<Situacao, SituacaoInfo> = {
  1: {
    codigo: 1,
    chave: 'AGUARDANDO_ENVIO_ARQUIVOS',
    nome: 'Aguardando o envio dos arquivos digitais',
    final: false,
    quemDeveAgir: 'REMETENTE',
  },
  2: {
    codigo: 2,
    chave: 'ARQUIVOS_RECEBIDOS_PELA_PLATAFORMA',
    nome: 'Arquivos digitais recebidos pelo Tramita GOV.BR',
    final: false,
    quemDeveAgir: 'DESTINATARIO',
  },
  3: {
    codigo: 3,
    chave: 'METADADOS_RECEBIDOS_PELO_DESTINATARIO',
    nome: 'Metadados recebidos pelo sistema de processo eletrônico destinatário',
    final: false,
    quemDeveAgir: 'DESTINATARIO',
  },
  4: {
    codigo: 4,
    chave: 'ARQUIVOS_RECEBIDOS_PELO_DESTINATARIO',
    nome: 'Arquivos digitais recebidos pelo destinatário',
    final: false,
    quemDeveAgir: 'DESTINATARIO',
  },
  5: {
    codigo: 5,
    chave: 'RECIBO_CONCLUSAO_RECEBIDO_PELA_PLATAFORMA',
    nome: 'Recibo de conclusão recebido pelo Tramita GOV.BR',
    final: false,
    quemDeveAgir: 'REMETENTE',
  },
  6: { codigo: 6, chave: 'CONCLUIDO', nome: 'Recibo de conclusão recebido pelo remetente', final: true, quemDeveAgir: null },
  7: { codigo: 7, chave: 'CANCELADO', nome: 'Trâmite cancelado', final: true, quemDeveAgir: null },
  8: { codigo: 8, chave: 'RECUSADO', nome: 'Trâmite recusado. Aguardando ciência do remetente', final: false, quemDeveAgir: 'REMETENTE' },
  9: { codigo: 9, chave: 'CIENCIA_RECUSA', nome: 'Ciência da recusa recebido pelo remetente', final: true, quemDeveAgir: null },
  10: { codigo: 10, chave: 'CANCELADO_AUTOMATICAMENTE', nome: 'Trâmite cancelado automaticamente', final: true, quemDeveAgir: null },
};

/** Final statuses: the process is unlocked at the sender and may start a new trâmite. */
export const SITUACOES_FINAIS: readonly Situacao[] = SITUACOES.filter((s) => SITUACAO_INFO[s].final);
export const SITUACOES_EM_ANDAMENTO: readonly Situacao[] = SITUACOES.filter((s) => !SITUACAO_INFO[s].final);

export function isSituacao(value: number): value is Situacao {
  return Number.isInteger(value) && value >= 1 && value <= 10;
}

/** Which side of a trâmite acts. PLATAFORMA is Tramita.GOV.BR itself (the auto-cancel job). */
export type LadoAtor = 'REMETENTE' | 'DESTINATARIO' | 'PLATAFORMA';

export type Acao =
  | 'INICIAR'
  | 'ENVIAR_COMPONENTES_DIGITAIS'
  | 'RECEBER_METADADOS'
  | 'RECEBER_COMPONENTES_DIGITAIS'
  | 'ENVIAR_RECIBO_CONCLUSAO'
  | 'RECEBER_RECIBO_CONCLUSAO'
  | 'CANCELAR'
  | 'RECUSAR'
  | 'DAR_CIENCIA_RECUSA'
  | 'CANCELAR_AUTOMATICAMENTE';

export interface Passo {
  acao: Acao;
  /** Statuses the step may start from; empty for INICIAR (no trâmite yet). */
  de: readonly Situacao[];
  para: Situacao;
  lado: LadoAtor;
}

/**
 * Every allowed move. Where sources disagree this follows the connection module (docs/domain.md):
 * refusal from 3-4, cancellation and auto-cancellation from 1-4. Uploading the digital components
 * is acted by the remetente; the platform records status 2 once they are complete.
 */
export const PASSOS: readonly Passo[] = [
  { acao: 'INICIAR', de: [], para: 1, lado: 'REMETENTE' },
  { acao: 'ENVIAR_COMPONENTES_DIGITAIS', de: [1], para: 2, lado: 'REMETENTE' },
  { acao: 'RECEBER_METADADOS', de: [2], para: 3, lado: 'DESTINATARIO' },
  { acao: 'RECEBER_COMPONENTES_DIGITAIS', de: [3], para: 4, lado: 'DESTINATARIO' },
  { acao: 'ENVIAR_RECIBO_CONCLUSAO', de: [4], para: 5, lado: 'DESTINATARIO' },
  { acao: 'RECEBER_RECIBO_CONCLUSAO', de: [5], para: 6, lado: 'REMETENTE' },
  { acao: 'CANCELAR', de: [1, 2, 3, 4], para: 7, lado: 'REMETENTE' },
  { acao: 'RECUSAR', de: [3, 4], para: 8, lado: 'DESTINATARIO' },
  { acao: 'DAR_CIENCIA_RECUSA', de: [8], para: 9, lado: 'REMETENTE' },
  { acao: 'CANCELAR_AUTOMATICAMENTE', de: [1, 2, 3, 4], para: 10, lado: 'PLATAFORMA' },
];

export const PASSO_POR_ACAO: Record<Acao, Passo> = Object.fromEntries(PASSOS.map((p) => [p.acao, p])) as Record<Acao, Passo>;

/** Steps that may be taken from a status, whoever takes them. */
export function passosAPartirDe(situacao: Situacao): Passo[] {
  return PASSOS.filter((p) => p.de.includes(situacao));
}

/** Default threshold of a stuck alert: the connection module's own monitor warns at 60 (and 90) minutes. */
export const MINUTOS_ALERTA_PARADO = 60;

/** Default number of calendar days without a status change before the platform cancels (FAQ: N = 8). */
export const DIAS_PARA_CANCELAMENTO_AUTOMATICO = 8;

export const MOTIVOS_RECUSA = {
  '01': 'Formato de componente digital não suportado',
  '02': 'Componente digital corrompido (hash não confere)',
  '03': 'Falta de componentes digitais',
  '04': 'Espécie documental não mapeada',
  '99': 'Outro',
} as const;
export type MotivoRecusa = keyof typeof MOTIVOS_RECUSA;
export const JUSTIFICATIVA_RECUSA_MAX = 1000;

/**
 * The sides a viewer may act as on a trâmite: its agency's side(s), or any agency side for PEN_ADMIN
 * (support and tests, recorded as such). PLATAFORMA belongs to the platform's own jobs only.
 */
export function ladosDoViewer(viewer: Viewer, tramite: TramiteParticipantes): LadoAtor[] {
  if (isPenAdmin(viewer)) return ['REMETENTE', 'DESTINATARIO'];
  if (!actsForAgency(viewer)) return [];
  const lados: LadoAtor[] = [];
  if (viewer.orgaoId === tramite.remetenteOrgaoId) lados.push('REMETENTE');
  if (viewer.orgaoId === tramite.destinatarioOrgaoId) lados.push('DESTINATARIO');
  return lados;
}

/** The steps this viewer may take now on a trâmite in `situacao`. */
export function acoesPermitidas(viewer: Viewer, tramite: TramiteParticipantes & { situacao: Situacao }): Passo[] {
  const lados = ladosDoViewer(viewer, tramite);
  return passosAPartirDe(tramite.situacao).filter((p) => lados.includes(p.lado));
}

/**
 * The act each status waits for from the side in `quemDeveAgir` (MSP `PendenciasTramiteRN.php`: the sender acts on
 * 1, 5 and 8, the recipient on 2-4). Derived from PASSOS: the one step out of the status taken by that side that
 * moves the trâmite forward (cancelling and refusing are choices, never the expected act).
 */
const ACOES_DE_ESCOLHA: readonly Acao[] = ['CANCELAR', 'RECUSAR', 'CANCELAR_AUTOMATICAMENTE'];
export function acaoEsperada(situacao: Situacao): Acao | null {
  const lado = SITUACAO_INFO[situacao].quemDeveAgir;
  if (lado == null) return null;
  return passosAPartirDe(situacao).find((p) => p.lado === lado && !ACOES_DE_ESCOLHA.includes(p.acao))?.acao ?? null;
}

/** The statuses in which a side has something pending: a "pendência" of that side. */
export function situacoesPendentesDe(lado: 'REMETENTE' | 'DESTINATARIO'): Situacao[] {
  return SITUACOES.filter((s) => SITUACAO_INFO[s].quemDeveAgir === lado);
}

/** Whether an agency's side must act now on a trâmite (the `pendencias` rule, one place). */
export function pendenteParaOrgao(orgaoId: number, tramite: TramiteParticipantes & { situacao: Situacao }): boolean {
  const lado = SITUACAO_INFO[tramite.situacao].quemDeveAgir;
  if (lado === 'REMETENTE') return tramite.remetenteOrgaoId === orgaoId;
  if (lado === 'DESTINATARIO') return tramite.destinatarioOrgaoId === orgaoId;
  return false;
}

export type OndeEstaOProcesso = 'ORIGEM' | 'PLATAFORMA' | 'DESTINO';

/**
 * FAQ 7.12's guidance per status, as data beside the status table: where the process is and what can be done
 * (pt-BR, shown to users as is). Status 7's "onde está" follows FAQ 7.12 (destino), not the 2023 MTO (docs/domain.md §9).
 */
export const ORIENTACAO_FAQ: Record<Situacao, { ondeEsta: OndeEstaOProcesso; oQuePodeSerFeito: string | null }> = {
  1: { ondeEsta: 'ORIGEM', oQuePodeSerFeito: 'O órgão de origem pode cancelar o trâmite.' },
  2: {
    ondeEsta: 'PLATAFORMA',
    oQuePodeSerFeito:
      'O órgão de origem pode cancelar o trâmite. Provavelmente há um problema no destino: entre em contato com o gestor de protocolo do órgão destinatário.',
  },
  3: { ondeEsta: 'PLATAFORMA', oQuePodeSerFeito: 'Problema no destino: entre em contato com o gestor de protocolo do órgão destinatário.' },
  4: { ondeEsta: 'DESTINO', oQuePodeSerFeito: 'Problema no destino: entre em contato com o gestor de protocolo do órgão destinatário.' },
  5: {
    ondeEsta: 'DESTINO',
    oQuePodeSerFeito: 'O sistema de origem provavelmente está fora do ar: entre em contato com o gestor de protocolo do órgão de origem.',
  },
  6: { ondeEsta: 'DESTINO', oQuePodeSerFeito: null },
  7: { ondeEsta: 'DESTINO', oQuePodeSerFeito: null },
  8: {
    ondeEsta: 'PLATAFORMA',
    oQuePodeSerFeito:
      'O sistema de origem não consegue falar com a plataforma; ou a unidade foi inativada no SIORG (mapeie-a de novo no Portal de Administração); ou a justificativa passou de 500 caracteres (atualize o módulo de conexão para 3.1.8 ou superior).',
  },
  9: {
    ondeEsta: 'ORIGEM',
    oQuePodeSerFeito: 'Leia o motivo da recusa e entre em contato com o gestor de protocolo do órgão destinatário.',
  },
  10: { ondeEsta: 'ORIGEM', oQuePodeSerFeito: 'Filtre o Painel de Controle pela situação 10 e envie o processo de novo.' },
};
