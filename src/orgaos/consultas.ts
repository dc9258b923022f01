/**
 * Structure search (the platform's `repositorios-de-estruturas/{rep}/estruturas-organizacionais`, across every
 * repository here): units by name or sigla, accent- and case-insensitive, ranked, with the platform's filters.
 * One statement per page (the rows, ranked from the indexes); the total is another, only when asked, and capped.
 */
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
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

/**
 * A search text folded by PostgreSQL (the same function as the index), once per statement: a scalar subquery is an
 * InitPlan, so a scan compares rows with its value instead of calling unaccent() for every row it reads.
 */
const dobrada = (texto: string) => sql`(select tramita_texto_busca(${texto}))`;

/** The search words: split on blanks; accents and case are folded by PostgreSQL (the same function as the index). */
export function palavrasDaBusca(busca: string | null | undefined): string[] {
  return (busca ?? '').trim().split(/\s+/u).filter(Boolean).slice(0, 8);
}

export function filtroEstruturasSql(filtro: FiltroEstruturas): SQL | undefined {
  const palavras = palavrasDaBusca(filtro.busca);
  return and(
    ...palavras.map((p) => sql`${textoIndexado} like '%' || ${dobrada(escaparLike(p))} || '%'`),
    filtro.repositorio != null ? eq(estruturas.repositorioId, filtro.repositorio) : undefined,
    filtro.permiteEnvio != null ? eq(estruturas.habilitadaEnvio, filtro.permiteEnvio) : undefined,
    filtro.permiteRecebimento != null ? eq(estruturas.habilitadaRecebimento, filtro.permiteRecebimento) : undefined,
    filtro.ativo != null ? eq(estruturas.ativo, filtro.ativo) : undefined,
    filtro.orgaoId != null ? eq(estruturas.orgaoId, filtro.orgaoId) : undefined,
  );
}

/** The folded sigla in byte order: what the sigla btree index (tables.ts) holds, for prefix ranges and their order. */
const siglaOrdenada = sql`(${siglaDobrada} collate "C")`;

/**
 * A search shorter than a trigram in every word (1-2 letters, e.g. "TI") matches no trigram of the index: it is a
 * prefix search on the sigla (the sigla btree index), not a scan of every unit for the letters anywhere.
 */
export function buscaCurta(palavras: readonly string[]): boolean {
  return palavras.length > 0 && palavras.every((p) => [...p].length < 3);
}

/** Units whose folded sigla starts with the search, folded in SQL; as a byte range, so the btree serves it in any plan. */
function siglaComecaCom(termo: string): SQL {
  const dobrado = dobrada(termo);
  return and(
    sql`${siglaOrdenada} >= ${dobrado}`,
    sql`${siglaOrdenada} < ${dobrado} || chr(1114111)`,
    sql`${siglaDobrada} like ${dobrada(escaparLike(termo))} || '%'`,
  )!;
}

export type EstruturaEncontrada = typeof estruturas.$inferSelect;

/**
 * How many matches a search ranks and counts at most: the first ones by sigla (besides the siglas starting with the
 * term). Ranking every match of a broad term (thousands: "saúde") costs a similarity per match, most of them tied
 * anyway (a word found whole is at distance 0, so the order among them is the sigla's). Past it, refine the search.
 */
export const LIMITE_BUSCA_ESTRUTURAS = 500;

/**
 * One page of the search, ranked: first the units whose sigla starts with the search (the sigla equal to it is the
 * first of them in byte order), by sigla, from the C-collated btree (a range); then the other matches by trigram word
 * similarity of the whole text (`<->>`, nearest first), ties by sigla and id, so pages are stable. The similarity is
 * computed only for a bounded candidate set, the first `LIMITE_BUSCA_ESTRUTURAS` matches by sigla (the words' GIN
 * trigram index, or the sigla btree when matches are many): a broad term costs about what a narrow one does. The
 * ranking is the exact one whenever those candidates hold a page of the best-ranked kind (whole-word matches). A
 * short search (`buscaCurta`) is the sigla group alone. Without words: every unit matching the flags, by sigla.
 */
export function consultaDaBusca(db: Database, filtro: FiltroEstruturas, pagina: { limit: number; offset: number }) {
  const palavras = palavrasDaBusca(filtro.busca);
  const filtros = filtroEstruturasSql({ ...filtro, busca: buscaCurta(palavras) ? null : filtro.busca });
  if (palavras.length === 0) {
    return db.select().from(estruturas).where(filtros).orderBy(siglaOrdenada, estruturas.id).limit(pagina.limit).offset(pagina.offset);
  }
  const termo = palavras.join(' ');
  const primeiros = pagina.offset + pagina.limit;
  const porSigla = db
    .select({ id: estruturas.id, grupo: sql<number>`0`.as('grupo'), distancia: sql<number>`0::real`.as('distancia') })
    .from(estruturas)
    .where(and(siglaComecaCom(termo), filtros))
    .orderBy(siglaOrdenada, estruturas.id)
    .limit(primeiros);
  const amostra = db
    .select({ id: estruturas.id, texto: sql<string>`${textoIndexado}`.as('texto'), sigla: sql<string>`${siglaOrdenada}`.as('sigla') })
    .from(estruturas)
    .where(and(filtros, sql`not (${siglaComecaCom(termo)})`))
    .orderBy(siglaOrdenada, estruturas.id)
    .limit(LIMITE_BUSCA_ESTRUTURAS)
    .as('amostra');
  const distancia = sql`${amostra.texto} <->> ${dobrada(termo)}`;
  const porSemelhanca = db
    .select({ id: amostra.id, grupo: sql<number>`1`.as('grupo'), distancia: sql<number>`${distancia}`.as('distancia') })
    .from(amostra)
    .orderBy(distancia, amostra.sigla, amostra.id)
    .limit(primeiros);
  const candidatos = (buscaCurta(palavras) ? porSigla : unionAll(porSigla, porSemelhanca)).as('candidatos');
  return db
    .select(getTableColumns(estruturas))
    .from(candidatos)
    .innerJoin(estruturas, eq(estruturas.id, candidatos.id))
    .orderBy(candidatos.grupo, candidatos.distancia, siglaOrdenada, estruturas.id)
    .limit(pagina.limit)
    .offset(pagina.offset);
}

/** One page of the search (its rows only: `contarEstruturas` counts, when asked). */
export function buscarEstruturas(
  db: Database,
  filtro: FiltroEstruturas,
  pagina: { limit: number; offset: number },
): Promise<EstruturaEncontrada[]> {
  return consultaDaBusca(db, filtro, pagina);
}

/**
 * How many units match, counted up to `LIMITE_BUSCA_ESTRUTURAS` + 1 (so the caller tells "exactly the limit" from
 * "more", `totalCountLimitado`): one statement that stops reading matches there.
 */
export async function contarEstruturas(db: Database, filtro: FiltroEstruturas): Promise<number> {
  const palavras = palavrasDaBusca(filtro.busca);
  const onde = buscaCurta(palavras)
    ? and(filtroEstruturasSql({ ...filtro, busca: null }), siglaComecaCom(palavras.join(' ')))
    : filtroEstruturasSql(filtro);
  const amostra = db
    .select({ id: estruturas.id })
    .from(estruturas)
    .where(onde)
    .limit(LIMITE_BUSCA_ESTRUTURAS + 1)
    .as('amostra');
  const [linha] = await db.select({ n: sql<number>`count(*)::int` }).from(amostra);
  return linha!.n;
}
