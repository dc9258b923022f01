/** Who is asking. Pure data and rules: no JWT, no database. */

export const PAPEIS = ['GESTOR_PROTOCOLO', 'SPE', 'PEN_ADMIN'] as const;
export type Papel = (typeof PAPEIS)[number];

export interface Viewer {
  /** `sub` of the token. */
  sujeito: string;
  /** Internal id of the agency (root estrutura) the person or system acts for; null for PEN staff. */
  orgaoId: number | null;
  papeis: ReadonlySet<Papel>;
  /**
   * An SPE's token (claim `spe`): the agencies that system serves. It acts for one of them per operation (`orgaoId`:
   * the token's `orgao`, the only one it serves, or the one the operation names: `paraOrgao`). Absent for people.
   */
  spe?: { codigo: string; orgaoIds: readonly number[] } | null;
}

export function isPenAdmin(viewer: Viewer): boolean {
  return viewer.papeis.has('PEN_ADMIN');
}

/** An agency's people and its SPE act for the agency; PEN_ADMIN acts for the platform. */
export function actsForAgency(viewer: Viewer): boolean {
  return viewer.orgaoId !== null && (viewer.papeis.has('GESTOR_PROTOCOLO') || viewer.papeis.has('SPE'));
}

/**
 * The agencies the viewer reads as: an SPE credential as each agency its system serves (a Gestor Tecnológico hosting
 * one SPE for several agencies reads every one's trâmites, whichever one the token or an operation names); a person,
 * or an SPE without the claim, as its own agency; nobody for PEN_ADMIN (it reads everything as the platform) or a
 * token with no agency. The served agencies come with the viewer (looked up once at authentication), never per row.
 */
export function orgaosDoViewer(viewer: Viewer): readonly number[] {
  if (isPenAdmin(viewer)) return [];
  if (viewer.spe && viewer.papeis.has('SPE')) return viewer.spe.orgaoIds;
  return actsForAgency(viewer) ? [viewer.orgaoId!] : [];
}

/** The viewer as each agency it reads as (`orgaosDoViewer`): what it may do on a trâmite is the union of these. */
export function comoCadaOrgao(viewer: Viewer): Viewer[] {
  if (!viewer.spe || !viewer.papeis.has('SPE') || isPenAdmin(viewer)) return [viewer];
  return viewer.spe.orgaoIds.map((orgaoId) => ({ ...viewer, orgaoId }));
}

export interface TramiteParticipantes {
  remetenteOrgaoId: number;
  destinatarioOrgaoId: number;
}

/** Why an operation cannot act for the agency it names (or does not name). */
export type RecusaDeOrgao = 'NAO_SERVIDO' | 'NAO_INFORMADO';

/**
 * The viewer acting for the agency an operation names: an SPE serving several agencies names one of them (required
 * when its token names none); anyone else may only name its own agency. Pure: the caller turns a refusal into its error.
 */
export function paraOrgao(viewer: Viewer, orgaoId: number | null | undefined): { viewer: Viewer } | { recusa: RecusaDeOrgao } {
  if (orgaoId == null) return viewer.orgaoId == null && viewer.spe ? { recusa: 'NAO_INFORMADO' } : { viewer };
  if (viewer.spe) return viewer.spe.orgaoIds.includes(orgaoId) ? { viewer: { ...viewer, orgaoId } } : { recusa: 'NAO_SERVIDO' };
  return orgaoId === viewer.orgaoId ? { viewer } : { recusa: 'NAO_SERVIDO' };
}
