import { actsForAgency, comoCadaOrgao, isPenAdmin, type Papel, type TramiteParticipantes, type Viewer } from '../kernel/viewer.js';

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
  /** The side whose act this is. */
  lado: LadoAtor;
  /**
   * Who moves the status: the side, by its step (absent), or PLATAFORMA, in the transaction of the side's act (the
   * sender uploads the components; the platform moves the trâmite to 2 when the last one is stored, envio.ts).
   */
  quemMuda?: 'PLATAFORMA';
}

/**
 * Every allowed move. Where sources disagree this follows the connection module (docs/domain.md):
 * refusal from 3-4, cancellation and auto-cancellation from 1-4. Uploading the digital components
 * is acted by the remetente (`enviarComponentesDigitais`); the platform moves the trâmite to 2 once every
 * one is stored. 3 → 4 is the recipient's confirmation of every hash; 4 → 5 always carries the signed receipt.
 */
export const PASSOS: readonly Passo[] = [
  { acao: 'INICIAR', de: [], para: 1, lado: 'REMETENTE' },
  { acao: 'ENVIAR_COMPONENTES_DIGITAIS', de: [1], para: 2, lado: 'REMETENTE', quemMuda: 'PLATAFORMA' },
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

/** The thresholds the stuck-alert feed emits at by default (STUCK_ALERT_THRESHOLDS_MINUTES): the monitor's two warnings. */
export const LIMIARES_ALERTA_PARADO_MINUTOS: readonly number[] = [MINUTOS_ALERTA_PARADO, 90];

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
 * The sides of a trâmite the viewer's agency is (remetente, destinatário or both), whatever its role;
 * none for PEN_ADMIN, which acts for no side (docs/domain.md §5). Who may take which step of a side
 * is `autorizarPasso`'s.
 */
export function ladosDoViewer(viewer: Viewer, tramite: TramiteParticipantes): LadoAtor[] {
  if (isPenAdmin(viewer) || !actsForAgency(viewer)) return [];
  const lados: LadoAtor[] = [];
  if (viewer.orgaoId === tramite.remetenteOrgaoId) lados.push('REMETENTE');
  if (viewer.orgaoId === tramite.destinatarioOrgaoId) lados.push('DESTINATARIO');
  return lados;
}

/**
 * The roles that take each step (docs/domain.md §5): every protocol step is an act of the agency's SPE
 * (its system's credential); the remetente agency's gestor de protocolo may also cancel; PEN_ADMIN only
 * cancels, on an agency's request with its reason, as the platform, never for a side. The platform's
 * own step belongs to no role.
 */
export const PAPEIS_POR_ACAO: Record<Acao, readonly Papel[]> = {
  INICIAR: ['SPE'],
  ENVIAR_COMPONENTES_DIGITAIS: ['SPE'],
  RECEBER_METADADOS: ['SPE'],
  RECEBER_COMPONENTES_DIGITAIS: ['SPE'],
  ENVIAR_RECIBO_CONCLUSAO: ['SPE'],
  RECEBER_RECIBO_CONCLUSAO: ['SPE'],
  CANCELAR: ['SPE', 'GESTOR_PROTOCOLO', 'PEN_ADMIN'],
  RECUSAR: ['SPE'],
  DAR_CIENCIA_RECUSA: ['SPE'],
  CANCELAR_AUTOMATICAMENTE: [],
};

export type Autorizacao =
  /** `lado`: the side recorded on the event (PLATAFORMA when PEN_ADMIN cancels on request). */
  | { ok: true; lado: LadoAtor; porAdministradorPen: boolean }
  | { ok: false; motivo: 'LADO'; ladoExigido: LadoAtor; lados: LadoAtor[] }
  | { ok: false; motivo: 'PAPEL'; papeisExigidos: readonly Papel[] };

/** Whether this viewer may take this step on this trâmite, whatever its status (that is the status machine's). */
export function autorizarPasso(viewer: Viewer, passo: Passo, tramite: TramiteParticipantes): Autorizacao {
  const papeisExigidos = PAPEIS_POR_ACAO[passo.acao];
  const lados = ladosDoViewer(viewer, tramite);
  if (passo.lado === 'PLATAFORMA') return { ok: false, motivo: 'LADO', ladoExigido: 'PLATAFORMA', lados };
  if (isPenAdmin(viewer)) {
    return papeisExigidos.includes('PEN_ADMIN')
      ? { ok: true, lado: 'PLATAFORMA', porAdministradorPen: true }
      : { ok: false, motivo: 'PAPEL', papeisExigidos };
  }
  if (!lados.includes(passo.lado)) return { ok: false, motivo: 'LADO', ladoExigido: passo.lado, lados };
  if (!papeisExigidos.some((p) => viewer.papeis.has(p))) return { ok: false, motivo: 'PAPEL', papeisExigidos };
  return { ok: true, lado: passo.lado, porAdministradorPen: false };
}

/**
 * The steps this viewer may take now on a trâmite in `situacao`. An SPE serving several agencies may take each side's
 * steps as that side's agency (naming it in the mutation's `orgao`), so its steps are the union over the agencies it
 * serves; anyone else acts for its own agency.
 */
export function acoesPermitidas(viewer: Viewer, tramite: TramiteParticipantes & { situacao: Situacao }): Passo[] {
  const comoOrgaos = comoCadaOrgao(viewer);
  return passosAPartirDe(tramite.situacao).filter((p) => comoOrgaos.some((v) => autorizarPasso(v, p, tramite).ok));
}

/**
 * A process's identity and custody, from its trâmites alone (docs/domain.md §2). The platform issues
 * the NRE: a process reuses the NRE of its earliest successful trâmite, else gets a new one; a
 * documento avulso always gets a new one. The holder starts as the first remetente and becomes the
 * destinatário of each success; a refusal or a cancellation leaves it with the sender. While a
 * trâmite is open the process is blocked at its sender.
 */
export interface TramiteDoProcesso {
  nre: string;
  situacao: number;
  remetenteOrgaoId: number;
  remetenteUnidadeId: number;
  destinatarioOrgaoId: number;
  destinatarioUnidadeId: number;
}

export interface Detentor {
  orgaoId: number;
  unidadeId: number;
}

export interface EstadoProcesso {
  /** The NRE its next trâmite travels under; null until one succeeded (the next trâmite gets a new one). */
  nre: string | null;
  /** Who may start its next trâmite; null for a process that never travelled. */
  detentor: Detentor | null;
  /** The NRE of the open trâmite, if one is open (the process is blocked at its sender). */
  nreEmAndamento: string | null;
}

/** `historico`: the process's trâmites in the order they were started. */
export function estadoDoProcesso(historico: readonly TramiteDoProcesso[]): EstadoProcesso {
  let nre: string | null = null;
  let detentor: Detentor | null = null;
  let nreEmAndamento: string | null = null;
  for (const t of historico) {
    detentor ??= { orgaoId: t.remetenteOrgaoId, unidadeId: t.remetenteUnidadeId };
    if (t.situacao === 6) {
      nre ??= t.nre;
      detentor = { orgaoId: t.destinatarioOrgaoId, unidadeId: t.destinatarioUnidadeId };
    }
    if (!isSituacao(t.situacao) || !SITUACAO_INFO[t.situacao].final) nreEmAndamento = t.nre;
  }
  return { nre, detentor, nreEmAndamento };
}

/** Why a trâmite may not start, or under which NRE it starts (`null`: a new one). */
export type DecisaoInicio =
  | { ok: true; nre: string | null }
  | { ok: false; motivo: 'NRE_DE_OUTRO_PROCESSO' }
  | { ok: false; motivo: 'NAO_DETENTOR'; detentor: Detentor }
  | { ok: false; motivo: 'EM_ANDAMENTO'; nre: string };

/**
 * The platform's decision on a start. `nreInformado`: what the client named, if anything, and
 * `nreInformadoPertence`: whether that NRE is one of this process's (never true for an avulso).
 */
export function decidirInicio(
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO',
  estado: EstadoProcesso,
  remetenteOrgaoId: number,
  nreInformado: string | null,
  nreInformadoPertence: boolean,
): DecisaoInicio {
  if (nreInformado != null && !nreInformadoPertence) return { ok: false, motivo: 'NRE_DE_OUTRO_PROCESSO' };
  if (tipo === 'DOCUMENTO_AVULSO') return { ok: true, nre: null };
  if (estado.detentor && estado.detentor.orgaoId !== remetenteOrgaoId)
    return { ok: false, motivo: 'NAO_DETENTOR', detentor: estado.detentor };
  if (estado.nreEmAndamento) return { ok: false, motivo: 'EM_ANDAMENTO', nre: estado.nreEmAndamento };
  return { ok: true, nre: estado.nre };
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
