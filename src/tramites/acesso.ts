import { and, eq, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { actsForAgency, isPenAdmin, type TramiteParticipantes, type Viewer } from '../kernel/viewer.js';
import type { Situacao } from './regras.js';
import type { tramites } from './tables.js';

/** After a refusal (8, then 9) only the sender still sees the trâmite's data (docs/domain.md). */
const SITUACOES_SO_REMETENTE_VE: readonly Situacao[] = [8, 9];

/**
 * Who reads a trâmite: its remetente's agency; its destinatário's agency unless it refused it;
 * PEN_ADMIN, all of them. `tramitesVisiveisSql` is the same rule for queries that list them.
 */
export function canReadTramite(viewer: Viewer, tramite: TramiteParticipantes & { situacao: number }): boolean {
  if (isPenAdmin(viewer)) return true;
  if (!actsForAgency(viewer)) return false;
  if (viewer.orgaoId === tramite.remetenteOrgaoId) return true;
  return viewer.orgaoId === tramite.destinatarioOrgaoId && !SITUACOES_SO_REMETENTE_VE.includes(tramite.situacao as Situacao);
}

export function tramitesVisiveisSql(viewer: Viewer, t: typeof tramites): SQL {
  if (isPenAdmin(viewer)) return sql`true`;
  if (!actsForAgency(viewer)) return sql`false`;
  return or(
    eq(t.remetenteOrgaoId, viewer.orgaoId!),
    and(eq(t.destinatarioOrgaoId, viewer.orgaoId!), notInArray(t.situacao, [...SITUACOES_SO_REMETENTE_VE])),
  )!;
}

/**
 * Whether the viewer sees every trâmite of the agency `tramitesVisiveisSql` could show (so a count of the agency's
 * trâmites needs no visibility condition: contagens.ts). Must never say yes where `tramitesVisiveisSql` hides one.
 */
export function veTodosOsTramitesDoOrgao(viewer: Viewer, orgaoId: number): boolean {
  return isPenAdmin(viewer) || (actsForAgency(viewer) && viewer.orgaoId === orgaoId);
}
