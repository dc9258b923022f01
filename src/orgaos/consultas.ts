/**
 * Structure search (the platform's `repositorios-de-estruturas/{rep}/estruturas-organizacionais`, across every
 * repository here): units by name or sigla, accent- and case-insensitive, ranked, with the platform's filters.
 * One statement per page: the rows, their rank and the total (a window count).
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { estruturas } from './tables.js';

export interface FiltroEstruturas {
  /** Words of the name or sigla, in any order; each must appear (accents and case ignored). */
  busca?: string | null;
  repositorio?: number | null;
  permiteEnvio?: boolean | null;
  permiteRecebimento?: boolean | null;
  /** true: active only; false: inactive only; null: both (inactive ones are marked `ativo: false`). */
  ativo?: boolean | null;
  /** Units of this agency only (the root's id). */
  orgaoId?: number | null;
}

/** The folded text the trigram index holds (generated columns, tables.ts). */
const textoIndexado = estruturas.textoBusca;
const siglaDobrada = estruturas.siglaBusca;

const escaparLike = (texto: string) => texto.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search words: split on blanks; accents and case are folded by PostgreSQL (the same function as the index). */
export function palavrasDaBusca(busca: string | null | undefined): string[] {
  return (busca ?? '').trim().split(/\s+/u).filter(Boolean).slice(0, 8);
}

export function filtroEstruturasSql(filtro: FiltroEstruturas): SQL | undefined {
  const palavras = palavrasDaBusca(filtro.busca);
  return and(
    ...palavras.map((p) => sql`${textoIndexado} like '%' || tramita_texto_busca(${escaparLike(p)}) || '%'`),
    filtro.repositorio != null ? eq(estruturas.repositorioId, filtro.repositorio) : undefined,
    filtro.permiteEnvio != null ? eq(estruturas.habilitadaEnvio, filtro.permiteEnvio) : undefined,
    filtro.permiteRecebimento != null ? eq(estruturas.habilitadaRecebimento, filtro.permiteRecebimento) : undefined,
    filtro.ativo != null ? eq(estruturas.ativo, filtro.ativo) : undefined,
    filtro.orgaoId != null ? eq(estruturas.orgaoId, filtro.orgaoId) : undefined,
  );
}

/**
 * The ranking: the sigla equal to the search first, then a sigla that starts with it, then by trigram similarity
 * of the whole text; ties by sigla and id, so pages are stable. Without words: by sigla.
 */
function ordem(busca: string | null | undefined): SQL[] {
  const palavras = palavrasDaBusca(busca);
  if (palavras.length === 0) return [sql`${estruturas.sigla} asc`, sql`${estruturas.id} asc`];
  const termo = palavras.join(' ');
  return [
    sql`(${siglaDobrada} = tramita_texto_busca(${termo})) desc`,
    sql`(${siglaDobrada} like tramita_texto_busca(${escaparLike(termo)}) || '%') desc`,
    sql`word_similarity(tramita_texto_busca(${termo}), ${textoIndexado}) desc`,
    sql`${estruturas.sigla} asc`,
    sql`${estruturas.id} asc`,
  ];
}

export type EstruturaEncontrada = typeof estruturas.$inferSelect;

/** The statement of one page (rows with the total matching): the gateway awaits it, the bench reads its SQL. */
export function consultaDaBusca(db: Database, filtro: FiltroEstruturas, pagina: { limit: number; offset: number }) {
  return db
    .select({ estrutura: estruturas, total: sql<number>`(count(*) over ())::int` })
    .from(estruturas)
    .where(filtroEstruturasSql(filtro))
    .orderBy(...ordem(filtro.busca))
    .limit(pagina.limit)
    .offset(pagina.offset);
}

/** One page of the search and the total that matches (null when the page is past the end). */
export async function buscarEstruturas(
  db: Database,
  filtro: FiltroEstruturas,
  pagina: { limit: number; offset: number },
): Promise<{ linhas: EstruturaEncontrada[]; total: number | null }> {
  const linhas = await consultaDaBusca(db, filtro, pagina);
  return { linhas: linhas.map((l) => l.estrutura), total: linhas[0]?.total ?? null };
}

export function contarEstruturas(db: Database, filtro: FiltroEstruturas): Promise<number> {
  return db.$count(estruturas, filtroEstruturasSql(filtro));
}
