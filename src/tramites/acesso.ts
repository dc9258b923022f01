import { and, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Ambiente } from '../kernel/ambiente.js';
import { isPenAdmin, orgaosDoViewer, type TramiteParticipantes, type Viewer } from '../kernel/viewer.js';
import type { Situacao } from './regras.js';
import type { tramites } from './tables.js';

/** After a refusal (8, then 9) only the sender still sees the trâmite's data (docs/domain.md). */
const SITUACOES_SO_REMETENTE_VE: readonly Situacao[] = [8, 9];

/**
 * Who reads a trâmite: its remetente's agency; its destinatário's agency unless it refused it; PEN_ADMIN, all of
 * them. An SPE serving several agencies reads as each of them (`orgaosDoViewer`): the union of their visibility, the
 * refusal hiding it per agency. `tramitesVisiveisSql` is the same rule for queries that list them.
 */
export function canReadTramite(viewer: Viewer, tramite: TramiteParticipantes & { situacao: number }): boolean {
  if (isPenAdmin(viewer)) return true;
  const orgaos = orgaosDoViewer(viewer);
  if (orgaos.includes(tramite.remetenteOrgaoId)) return true;
  return orgaos.includes(tramite.destinatarioOrgaoId) && !SITUACOES_SO_REMETENTE_VE.includes(tramite.situacao as Situacao);
}

/**
 * Who sees an event of a trâmite: a status change, whoever reads the trâmite; a component received (the sender's
 * upload, at 1, before the trâmite is the recipient's business) and the recibo de envio (addressed to the sender,
 * docs/domain.md §4.4), the remetente's agency only; the recibo de conclusão (signed by the recipient, fetched by the
 * sender), both sides. PEN_ADMIN sees all.
 */
export function canSeeEvento(
  viewer: Viewer,
  tramite: TramiteParticipantes & { situacao: number },
  evento: { tipo: 'SITUACAO' | 'COMPONENTE_RECEBIDO' | 'RECIBO_EMITIDO'; recibo: 'ENVIO' | 'CONCLUSAO' | null },
): boolean {
  if (!canReadTramite(viewer, tramite)) return false;
  if (evento.tipo === 'SITUACAO' || (evento.tipo === 'RECIBO_EMITIDO' && evento.recibo === 'CONCLUSAO')) return true;
  return isPenAdmin(viewer) || orgaosDoViewer(viewer).includes(tramite.remetenteOrgaoId);
}

/**
 * The read rule of a trâmite reached by a field (registered on the Tramite type): readable, and in the environment the
 * field is about. A trâmite of the other environment is null, as a missing one.
 */
export function canReadTramiteNoAmbiente(
  viewer: Viewer,
  tramite: TramiteParticipantes & { situacao: number; ambiente: Ambiente },
  ambiente: Ambiente,
): boolean {
  return tramite.ambiente === ambiente && canReadTramite(viewer, tramite);
}

export function tramitesVisiveisSql(viewer: Viewer, t: typeof tramites): SQL {
  if (isPenAdmin(viewer)) return sql`true`;
  const orgaos = orgaosDoViewer(viewer);
  if (orgaos.length === 0) return sql`false`;
  return or(
    inArray(t.remetenteOrgaoId, [...orgaos]),
    and(inArray(t.destinatarioOrgaoId, [...orgaos]), notInArray(t.situacao, [...SITUACOES_SO_REMETENTE_VE])),
  )!;
}

/**
 * Whether the viewer sees every trâmite of the agency `tramitesVisiveisSql` could show (so a count of the agency's
 * trâmites needs no visibility condition: contagens.ts). Must never say yes where `tramitesVisiveisSql` hides one.
 */
export function veTodosOsTramitesDoOrgao(viewer: Viewer, orgaoId: number): boolean {
  return isPenAdmin(viewer) || orgaosDoViewer(viewer).includes(orgaoId);
}
