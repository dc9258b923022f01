/** Reads of SPEs and the agencies they serve. No GraphQL here. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { sistemaOrgaos, sistemas } from './tables.js';

export type SistemaRow = typeof sistemas.$inferSelect;

/** The agencies an SPE serves, by its `codigo` (a token's `spe` claim); null for an unknown system. */
export async function orgaosServidosPeloSistema(db: Database, codigo: string): Promise<number[] | null> {
  const [sistema] = await db.select({ id: sistemas.id }).from(sistemas).where(eq(sistemas.codigo, codigo));
  if (!sistema) return null;
  const linhas = await db
    .select({ orgaoId: sistemaOrgaos.orgaoId })
    .from(sistemaOrgaos)
    .where(eq(sistemaOrgaos.sistemaId, sistema.id))
    .orderBy(asc(sistemaOrgaos.orgaoId));
  return linhas.map((l) => l.orgaoId);
}

/** The SPEs serving these agencies (one statement for a page of agencies). */
export async function sistemasDosOrgaos(db: Database, orgaoIds: readonly number[]): Promise<Array<SistemaRow & { orgaoId: number }>> {
  if (orgaoIds.length === 0) return [];
  const linhas = await db
    .select({ sistema: sistemas, orgaoId: sistemaOrgaos.orgaoId })
    .from(sistemaOrgaos)
    .innerJoin(sistemas, eq(sistemas.id, sistemaOrgaos.sistemaId))
    .where(inArray(sistemaOrgaos.orgaoId, [...orgaoIds]))
    .orderBy(asc(sistemas.nome));
  return linhas.map((l) => ({ ...l.sistema, orgaoId: l.orgaoId }));
}
