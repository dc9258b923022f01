/** Who is asking. Pure data and rules: no JWT, no database. */

export const PAPEIS = ['GESTOR_PROTOCOLO', 'SPE', 'PEN_ADMIN'] as const;
export type Papel = (typeof PAPEIS)[number];

export interface Viewer {
  /** `sub` of the token. */
  sujeito: string;
  /** Internal id of the agency (root estrutura) the person or system acts for; null for PEN staff. */
  orgaoId: number | null;
  papeis: ReadonlySet<Papel>;
}

export function isPenAdmin(viewer: Viewer): boolean {
  return viewer.papeis.has('PEN_ADMIN');
}

/** An agency's people and its SPE act for the agency; PEN_ADMIN acts for the platform. */
export function actsForAgency(viewer: Viewer): boolean {
  return viewer.orgaoId !== null && (viewer.papeis.has('GESTOR_PROTOCOLO') || viewer.papeis.has('SPE'));
}

export interface TramiteParticipantes {
  remetenteOrgaoId: number;
  destinatarioOrgaoId: number;
}
