/**
 * Structure search (the platform's `repositorios-de-estruturas/{rep}/estruturas-organizacionais`, across every
 * repository here): units by name or sigla, accent- and case-insensitive, ranked, with the platform's filters.
 * One statement per page (the rows, ranked from the indexes); with words it also carries the capped total, else the
 * total is another statement, only when asked.
 */
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { habilitadaNoAmbiente } from './configuracoes.js';
import { estruturas } from './tables.js';

export interface FiltroEstruturas {
  /** Words of the name or sigla, in any order; each must appear (accents and case ignored). */
  busca?: string | null;
  repositorio?: number | null;
  /** The environment whose configuration `permiteEnvio` / `permiteRecebimento` read. */
  ambiente: Ambiente;
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

/**
 * Every word appears in `texto` (a folded text column): the trigram index's condition on `texto_busca`. A word shorter
 * than a trigram ("de") gives the index nothing to probe but a scan of all of it: it is checked on the rows the other
 * words found (`strpos`, which the index does not serve).
 */
function contemAsPalavras(texto: SQL | typeof textoIndexado, palavras: readonly string[]): SQL | undefined {
  return and(
    ...palavras.map((p) =>
      [...p].length < 3 ? sql`strpos(${texto}, ${dobrada(p)}) > 0` : sql`${texto} like '%' || ${dobrada(escaparLike(p))} || '%'`,
    ),
  );
}

/**
 * The filters besides the words (repositório, flags, ativo, agency): the one place they are written, for the page, the
 * walk in sigla order and the count alike.
 */
function filtroDeAtributos(filtro: FiltroEstruturas): SQL | undefined {
  return and(
    filtro.repositorio != null ? eq(estruturas.repositorioId, filtro.repositorio) : undefined,
    filtro.permiteEnvio != null ? habilitadaNoAmbiente(estruturas.id, filtro.ambiente, 'envio', filtro.permiteEnvio) : undefined,
    filtro.permiteRecebimento != null
      ? habilitadaNoAmbiente(estruturas.id, filtro.ambiente, 'recebimento', filtro.permiteRecebimento)
      : undefined,
    filtro.ativo != null ? eq(estruturas.ativo, filtro.ativo) : undefined,
    filtro.orgaoId != null ? eq(estruturas.orgaoId, filtro.orgaoId) : undefined,
  );
}

export function filtroEstruturasSql(filtro: FiltroEstruturas): SQL | undefined {
  return and(contemAsPalavras(textoIndexado, palavrasDaBusca(filtro.busca)), filtroDeAtributos(filtro));
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

/**
 * Units whose folded sigla (`sigla`: the C-collated folded sigla, by default the table's) starts with the search, folded
 * in SQL; as a byte range, so the btree serves it in any plan.
 */
function siglaComecaCom(termo: string, sigla: SQL = siglaOrdenada): SQL {
  const dobrado = dobrada(termo);
  return and(
    sql`${sigla} >= ${dobrado}`,
    sql`${sigla} < ${dobrado} || chr(1114111)`,
    sql`${sigla} like ${dobrada(escaparLike(termo))} || '%'`,
  )!;
}

export type EstruturaEncontrada = typeof estruturas.$inferSelect;

/**
 * How many matches a search ranks and counts at most: the first ones by sigla (besides the siglas starting with the
 * term, which always come first). Ranking every match of a broad term (thousands: "saúde") costs a similarity per
 * match, most of them tied anyway (a word found whole is at distance 0, so the order among them is the sigla's). Past
 * it, `totalCountLimitado`: refine the search.
 */
export const LIMITE_BUSCA_ESTRUTURAS = 100;

/**
 * How many units (with the filters) a search reads in sigla order looking for its first `LIMITE_BUSCA_ESTRUTURAS` + 1
 * matches before it asks the trigram index instead. A broad term (a match in every 20 units or more) finds them in
 * this walk of the sigla btree and stops; a narrower one reads the index, whose matches are then few.
 */
export const PASSEIO_BUSCA_ESTRUTURAS = 2000;

/** A page of the search, and how many units match (counted up to `LIMITE_BUSCA_ESTRUTURAS` + 1) when the page told it. */
export interface PaginaDeEstruturas {
  linhas: EstruturaEncontrada[];
  total: number | null;
}

/**
 * One page of the search, ranked, in one statement: first the units whose sigla starts with the search (the sigla equal
 * to it is the first of them in byte order), by sigla, from the C-collated btree (a range); then the other matches by
 * trigram word similarity of the whole text (`<->>`, nearest first), ties by sigla and id, so pages are stable. The
 * similarity is computed only for the candidates: the first `LIMITE_BUSCA_ESTRUTURAS` + 1 matches by sigla, found by
 * walking the sigla btree for at most `PASSEIO_BUSCA_ESTRUTURAS` units (a broad term) or else from the words' GIN
 * trigram index (a narrow one; only that branch runs, by a one-time filter). Either way the candidates are the same
 * units, so the ranking does not depend on the plan; it is the exact one whenever they hold a page of the best-ranked
 * kind (whole-word matches). The candidates also give the capped count (`total`): all of them, up to the limit + 1.
 * A short search (`buscaCurta`) is the sigla group alone. Without words: every unit matching the flags, by sigla.
 */
export function consultaDaBusca(db: Database, filtro: FiltroEstruturas, pagina: { limit: number; offset: number }) {
  const palavras = palavrasDaBusca(filtro.busca);
  const atributos = filtroDeAtributos(filtro);
  if (palavras.length === 0) {
    return db
      .select({ ...getTableColumns(estruturas), total: sql<number | null>`null::int` })
      .from(estruturas)
      .where(atributos)
      .orderBy(siglaOrdenada, estruturas.id)
      .limit(pagina.limit)
      .offset(pagina.offset);
  }
  const termo = palavras.join(' ');
  const primeiros = pagina.offset + pagina.limit;
  const porSigla = db
    .select({ id: estruturas.id, grupo: sql<number>`0`.as('grupo'), distancia: sql<number>`0::real`.as('distancia') })
    .from(estruturas)
    .where(and(siglaComecaCom(termo), atributos))
    .orderBy(siglaOrdenada, estruturas.id)
    .limit(primeiros);
  if (buscaCurta(palavras)) {
    const curta = porSigla.as('candidatos');
    return db
      .select({ ...getTableColumns(estruturas), total: sql<number | null>`null::int` })
      .from(curta)
      .innerJoin(estruturas, eq(estruturas.id, curta.id))
      .orderBy(siglaOrdenada, estruturas.id)
      .limit(pagina.limit)
      .offset(pagina.offset);
  }
  const colunas = { id: estruturas.id, texto: sql<string>`${textoIndexado}`.as('texto'), sigla: sql<string>`${siglaOrdenada}`.as('sigla') };
  const passeio = db
    .$with('passeio')
    .as(db.select(colunas).from(estruturas).where(atributos).orderBy(siglaOrdenada, estruturas.id).limit(PASSEIO_BUSCA_ESTRUTURAS));
  const noPasseio = db.$with('no_passeio').as(
    db
      .select()
      .from(passeio)
      .where(contemAsPalavras(sql`${passeio.texto}`, palavras))
      .limit(LIMITE_BUSCA_ESTRUTURAS + 1),
  );
  const bastou = sql`(select count(*) from ${noPasseio}) > ${LIMITE_BUSCA_ESTRUTURAS}`;
  const candidatos = db.$with('candidatos').as(
    unionAll(
      db.select().from(noPasseio).where(bastou),
      db
        .select(colunas)
        .from(estruturas)
        .where(and(contemAsPalavras(textoIndexado, palavras), atributos, sql`not ${bastou}`))
        .orderBy(siglaOrdenada, estruturas.id)
        .limit(LIMITE_BUSCA_ESTRUTURAS + 1),
    ),
  );
  const distancia = sql`${candidatos.texto} <->> ${dobrada(termo)}`;
  const porSemelhanca = db
    .select({ id: candidatos.id, grupo: sql<number>`1`.as('grupo'), distancia: sql<number>`${distancia}`.as('distancia') })
    .from(candidatos)
    .where(sql`not (${siglaComecaCom(termo, sql`${candidatos.sigla}`)})`)
    .orderBy(distancia, candidatos.sigla, candidatos.id)
    .limit(primeiros);
  const ranqueados = unionAll(porSigla, porSemelhanca).as('ranqueados');
  return db
    .with(passeio, noPasseio, candidatos)
    .select({ ...getTableColumns(estruturas), total: sql<number | null>`(select count(*)::int from ${candidatos})` })
    .from(ranqueados)
    .innerJoin(estruturas, eq(estruturas.id, ranqueados.id))
    .orderBy(ranqueados.grupo, ranqueados.distancia, siglaOrdenada, estruturas.id)
    .limit(pagina.limit)
    .offset(pagina.offset);
}

/** One page of the search; with words, the capped count rides along (`total`), else `contarEstruturas` counts. */
export async function buscarEstruturas(
  db: Database,
  filtro: FiltroEstruturas,
  pagina: { limit: number; offset: number },
): Promise<PaginaDeEstruturas> {
  const linhas = await consultaDaBusca(db, filtro, pagina);
  const total = linhas[0]?.total ?? null;
  return { linhas: linhas.map(({ total: _, ...estrutura }) => estrutura), total: total == null ? null : Number(total) };
}

/**
 * How many units match, counted up to `LIMITE_BUSCA_ESTRUTURAS` + 1 (so the caller tells "exactly the limit" from
 * "more", `totalCountLimitado`): one statement that stops reading matches there. The same number as a page's `total`.
 */
export async function contarEstruturas(db: Database, filtro: FiltroEstruturas): Promise<number> {
  const palavras = palavrasDaBusca(filtro.busca);
  const onde = buscaCurta(palavras) ? and(filtroDeAtributos(filtro), siglaComecaCom(palavras.join(' '))) : filtroEstruturasSql(filtro);
  const amostra = db
    .select({ id: estruturas.id })
    .from(estruturas)
    .where(onde)
    .limit(LIMITE_BUSCA_ESTRUTURAS + 1)
    .as('amostra');
  const [linha] = await db.select({ n: sql<number>`count(*)::int` }).from(amostra);
  return linha!.n;
}
