/**
 * Structure search (the platform's `repositorios-de-estruturas/{rep}/estruturas-organizacionais`, across every
 * repository here): units by name or sigla, accent- and case-insensitive, ranked, with the platform's filters.
 * One statement per page (the rows, ranked from the indexes), which also carries the capped total.
 */
import { and, eq, getTableColumns, type Placeholder, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { type Database, planoPorValores } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { habilitadaNoAmbiente } from './configuracoes.js';
import { estruturaPalavras, estruturas } from './tables.js';

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

/** The folded sigla (generated column, tables.ts). */
const siglaDobrada = estruturas.siglaBusca;

const escaparLike = (texto: string) => texto.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A search text folded by PostgreSQL (the same function as the words and columns), once per statement: a scalar
 * subquery is an InitPlan, so a scan compares rows with its value instead of calling unaccent() for every row it reads.
 */
const dobrada = (texto: Valor) => sql`(select tramita_texto_busca(${texto}))`;

/** A value of the search, or its placeholder in the statement prepared for the search's shape (`consultaPreparada`). */
type Valor = string | number | Placeholder;

/**
 * The search words: split where the indexed words are (anything but letters and digits: blanks, "/", "-"...); accents
 * and case are folded by PostgreSQL.
 */
export function palavrasDaBusca(busca: string | null | undefined): string[] {
  return (busca ?? '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
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

/**
 * The folded sigla in byte order: what the sigla btree index (tables.ts) holds, for prefix ranges and their order.
 * Marked `planoPorValores`: every statement ordered or ranged by it (the search's) is planned with its values.
 */
const siglaOrdenada = sql`(${planoPorValores} ${siglaDobrada} collate "C")`;

/**
 * A search of 1-2 letters in every word (e.g. "TI") is a prefix search on the sigla (the sigla btree index): as a word
 * prefix it would match nearly every unit ("de", "do").
 */
export function buscaCurta(palavras: readonly string[]): boolean {
  return palavras.length > 0 && palavras.every((p) => [...p].length < 3);
}

/**
 * Units whose folded sigla (`sigla`: the C-collated folded sigla, by default the table's) starts with the search
 * (`termo`, and `termoLike`: the same escaped for LIKE), folded in SQL; as a byte range, so the btree serves it in any plan.
 * The term is folded inline, not as `dobrada`'s InitPlan: these statements are planned with their values
 * (`planoPorValores`), so the planner folds the immutable function to a constant and estimates the
 * range from the statistics. Behind an InitPlan the range was unknown at planning, and a prefix most units share
 * ("bu") was read by a bitmap scan of every match and sorted: 50 ms instead of an ordered walk of 0.1 ms.
 */
function siglaComecaCom(termo: Valor, termoLike: Valor, sigla: SQL = siglaOrdenada): SQL {
  const dobrado = sql`tramita_texto_busca(${termo})`;
  return and(
    sql`${sigla} >= ${dobrado}`,
    sql`${sigla} < ${dobrado} || chr(1114111)`,
    sql`${sigla} like tramita_texto_busca(${termoLike}) || '%'`,
  )!;
}

export type EstruturaEncontrada = typeof estruturas.$inferSelect;

/**
 * How many units pass the filters (and, with a term, whose sigla starts with it), counted up to
 * `LIMITE_BUSCA_ESTRUTURAS` + 1: a scalar subquery that stops reading there. The count of a search without words or
 * of a short one (`buscaCurta`), in its page's statement and in `contarEstruturas` alike.
 */
function contagemLimitada(atributos: SQL | undefined, termo: { termo: Valor; termoLike: Valor } | null): SQL<number> {
  const onde = termo ? and(atributos, siglaComecaCom(termo.termo, termo.termoLike)) : atributos;
  return sql<number>`(select count(*)::int from (select 1 from ${estruturas} where ${onde ?? sql`true`} limit ${LIMITE_BUSCA_ESTRUTURAS + 1}) amostra)`;
}

/**
 * How many matches a search ranks and counts at most: the first ones in the order of the words' index (the driving
 * word's whole-word matches by sigla first, then longer words it starts), besides the siglas starting with the term,
 * which always come first. Ranking every match of a broad term (thousands: "saúde") costs a similarity per match, most
 * of them tied anyway (a word found whole is at distance 0, so the order among them is the sigla's). Past it,
 * `totalCountLimitado`: refine the search.
 */
export const LIMITE_BUSCA_ESTRUTURAS = 100;

/**
 * Up to how many index entries a search word is counted to choose the driving word of a search of several words (the
 * rarest drives; ties: the longest): a word rarer than this is counted exactly.
 */
const AMOSTRA_DA_PALAVRA = 500;

/**
 * A page of the search, and how many units match (counted up to `LIMITE_BUSCA_ESTRUTURAS` + 1) when the page told it:
 * every row carries it; an empty page past the first cannot.
 */
export interface PaginaDeEstruturas {
  linhas: EstruturaEncontrada[];
  total: number | null;
}

/** The words' index order; marked like `siglaOrdenada`: the statements that walk it are planned with their values. */
const palavraOrdenada = sql`(${planoPorValores} ${estruturaPalavras.palavra} collate "C")`;

/**
 * The search's candidates (id, words, folded sigla), at most `LIMITE_BUSCA_ESTRUTURAS` + 1: units with, for every
 * search word, a word starting with it, and the filters. They come from one prefix range of the words' btree
 * (`estrutura_palavras_prefixo_idx`), that of the driving word (the only one, or the rarest), read in (word, sigla, id)
 * order until enough pass: the other words are matched on the entry's own copy of the unit's words (an index-only
 * scan), the filters on the unit, looked up by primary key for each entry read. A page reads about as many entries
 * as it keeps, over the other words' and the filters' selectivity. A unit with two words in the range counts once (at
 * its first).
 */
function candidatosDaBusca(db: Database, palavras: readonly Valor[], atributos: SQL | undefined) {
  const dobradas = palavras.map(dobrada);
  const motor =
    dobradas.length === 1
      ? dobradas[0]!
      : sql`(select w from unnest(array[${sql.join(dobradas, sql`, `)}]) w
              order by (select count(*) from (select 1 from ${estruturaPalavras} x where (x.palavra collate "C") >= w
                          and (x.palavra collate "C") < w || chr(1114111) order by (x.palavra collate "C") limit ${AMOSTRA_DA_PALAVRA}) amostra),
                       length(w) desc
              limit 1)`;
  const motorCte = db.$with('motor').as(db.select({ w: sql<string>`${motor}`.as('w') }).from(sql`(select 1) um`));
  const w = sql`(select ${motorCte.w} from ${motorCte})`;
  const primeiraDaUnidade = sql`(${palavraOrdenada} = ${w} or not exists (select 1 from ${estruturaPalavras} q
    where q.estrutura_id = ${estruturaPalavras.estruturaId} and starts_with(q.palavra, ${w}) and (q.palavra collate "C") < ${palavraOrdenada}))`;
  // strpos rather than LIKE: the planner takes a LIKE on a parameter for 0.5 % of the rows and then reads the whole
  // range by bitmap to sort it, where the walk in index order stops after a few hundred entries.
  const todas = palavras.length === 1 ? [] : palavras.map((p) => sql`strpos(${estruturaPalavras.texto}, ' ' || ${dobrada(p)}) > 0`);
  const colunas = {
    id: sql<number>`${estruturaPalavras.estruturaId}`.as('id'),
    texto: sql<string>`${estruturaPalavras.texto}`.as('texto'),
    sigla: sql<string>`(${estruturaPalavras.sigla} collate "C")`.as('sigla'),
    /** The entry is the driving word itself (a whole-word match), not a longer word it starts. */
    inteira: sql<boolean>`${palavraOrdenada} = ${w}`.as('inteira'),
  };
  // The filters are checked on each entry the walk reads, as a scalar subquery (a SubPlan, never pulled up into a
  // join): joined, the planner took the walk's unknown range (the driving word is an InitPlan) for ~160 rows and once
  // read every unit's key in a nested loop over those rows materialized (~7,700 in fact, every "Tecnologia da
  // Informação" unit: ~770 M comparisons, past the 10 s statement timeout), merge-joined with configuracoes_unidade
  // and sorted. Now the words' walk is the only scan, in index order under the LIMIT: what it reads is bounded by the
  // driving word's range, whatever the statistics or the plan cache mode.
  const daUnidade = atributos
    ? sql`(select true from ${estruturas} where ${estruturas.id} = ${estruturaPalavras.estruturaId} and ${atributos})`
    : undefined;
  const onde = and(sql`${palavraOrdenada} >= ${w}`, sql`${palavraOrdenada} < ${w} || chr(1114111)`, ...todas, primeiraDaUnidade, daUnidade);
  const candidatos = db.$with('candidatos').as(
    db
      .select(colunas)
      .from(estruturaPalavras)
      .where(onde)
      .orderBy(palavraOrdenada, sql`(${estruturaPalavras.sigla} collate "C")`, estruturaPalavras.estruturaId)
      .limit(LIMITE_BUSCA_ESTRUTURAS + 1),
  );
  return { motorCte, candidatos };
}

/** The values a search's statement takes: the words, the whole term (also escaped for LIKE), the page. */
interface ValoresDaBusca {
  palavras: Valor[];
  termo: Valor;
  termoLike: Valor;
  limit: Valor;
  offset: Valor;
  /** offset + limit: how many of each ranked group a page may need. */
  primeiros: Valor;
}

/**
 * One page of the search, ranked, in one statement: first the units whose sigla starts with the search (the sigla equal
 * to it is the first of them in byte order), by sigla, from the C-collated btree (a range); then the other candidates
 * (`candidatosDaBusca`) by trigram word similarity of the whole text (`<->>`, nearest first), ties by sigla and id, so
 * pages are stable. The similarity is computed only for the candidates, which also give the capped count (`total`).
 * A short search (`buscaCurta`) is the sigla group alone. Without words: every unit matching the flags, by sigla. Both
 * carry `contagemLimitada` as their `total`, so a page asking `totalCount` sends one statement in every case.
 */
function consultaDaBusca(db: Database, atributos: SQL | undefined, curta: boolean, v: ValoresDaBusca) {
  if (v.palavras.length === 0) {
    return db
      .select({ ...getTableColumns(estruturas), total: contagemLimitada(atributos, null) })
      .from(estruturas)
      .where(atributos)
      .orderBy(siglaOrdenada, estruturas.id)
      .limit(v.limit as number)
      .offset(v.offset as number);
  }
  const porSigla = db
    .select({ id: estruturas.id, grupo: sql<number>`0`.as('grupo'), distancia: sql<number>`0::real`.as('distancia') })
    .from(estruturas)
    .where(and(siglaComecaCom(v.termo, v.termoLike), atributos))
    .orderBy(siglaOrdenada, estruturas.id)
    .limit(v.primeiros as number);
  if (curta) {
    const sub = porSigla.as('candidatos');
    return db
      .select({ ...getTableColumns(estruturas), total: contagemLimitada(atributos, v) })
      .from(sub)
      .innerJoin(estruturas, eq(estruturas.id, sub.id))
      .orderBy(siglaOrdenada, estruturas.id)
      .limit(v.limit as number)
      .offset(v.offset as number);
  }
  const { motorCte, candidatos } = candidatosDaBusca(db, v.palavras, atributos);
  // A one-word search found whole is at distance 0 (all its trigrams in one word): computed only for the others.
  const semelhanca = sql`${candidatos.texto} <->> ${dobrada(v.termo)}`;
  const distancia = v.palavras.length === 1 ? sql`case when ${candidatos.inteira} then 0 else ${semelhanca} end` : semelhanca;
  const porSemelhanca = db
    .select({ id: candidatos.id, grupo: sql<number>`1`.as('grupo'), distancia: sql<number>`${distancia}`.as('distancia') })
    .from(candidatos)
    .where(sql`not (${siglaComecaCom(v.termo, v.termoLike, sql`${candidatos.sigla}`)})`)
    .orderBy(distancia, candidatos.sigla, candidatos.id)
    .limit(v.primeiros as number);
  const ranqueados = unionAll(porSigla, porSemelhanca).as('ranqueados');
  return db
    .with(motorCte, candidatos)
    .select({ ...getTableColumns(estruturas), total: sql<number | null>`(select count(*)::int from ${candidatos})` })
    .from(ranqueados)
    .innerJoin(estruturas, eq(estruturas.id, ranqueados.id))
    .orderBy(ranqueados.grupo, ranqueados.distancia, siglaOrdenada, estruturas.id)
    .limit(v.limit as number)
    .offset(v.offset as number);
}

/** Filters compared with a value: placeholders in the prepared statement. */
const ATRIBUTOS = ['repositorio', 'ativo', 'orgaoId'] as const;
/**
 * Filters whose values shape the statement (`habilitadaNoAmbiente` writes EXISTS or NOT EXISTS, for one environment):
 * their values are part of the prepared statement's key, a handful of shapes.
 */
const ATRIBUTOS_DE_FORMA = ['ambiente', 'permiteEnvio', 'permiteRecebimento'] as const;

type Preparada = { execute: (valores: Record<string, unknown>) => Promise<Awaited<ReturnType<typeof consultaDaBusca>>> };
const preparadas = new WeakMap<Database, Map<string, Preparada>>();

/**
 * The search's statement for this shape (how many words, short or not, which filters), built once per database and
 * kept prepared with placeholders: building it (CTEs, a union, a few dozen SQL fragments) cost drizzle more CPU per
 * request than PostgreSQL spent running it. The filters keep going through `filtroDeAtributos`, with placeholders
 * for their values.
 */
function consultaPreparada(db: Database, palavras: readonly string[], filtro: FiltroEstruturas): Preparada {
  const curta = buscaCurta(palavras);
  const presentes = ATRIBUTOS.filter((k) => filtro[k] != null);
  const forma = ATRIBUTOS_DE_FORMA.map((k) => filtro[k] ?? '');
  const chave = `${palavras.length}:${curta}:${presentes.join(',')}:${forma.join(',')}`;
  const porForma = preparadas.get(db) ?? new Map<string, Preparada>();
  preparadas.set(db, porForma);
  let preparada = porForma.get(chave);
  if (!preparada) {
    // Placeholders stand for the compared values: filtroDeAtributos compares a column with whatever it is given.
    const marcado = {
      ...Object.fromEntries(ATRIBUTOS_DE_FORMA.map((k) => [k, filtro[k]])),
      ...Object.fromEntries(presentes.map((k) => [k, sql.placeholder(k)])),
    } as unknown as FiltroEstruturas;
    const v: ValoresDaBusca = {
      palavras: palavras.map((_, i) => sql.placeholder(`p${i}`)),
      termo: sql.placeholder('termo'),
      termoLike: sql.placeholder('termoLike'),
      limit: sql.placeholder('limit'),
      offset: sql.placeholder('offset'),
      primeiros: sql.placeholder('primeiros'),
    };
    preparada = consultaDaBusca(db, filtroDeAtributos(marcado), curta, v).prepare(`busca_estruturas_${porForma.size}`) as Preparada;
    porForma.set(chave, preparada);
  }
  return preparada;
}

/**
 * One page of the search, with the capped count (`total`) its statement carried; null only for an empty page past the
 * first (then `contarEstruturas` counts). An empty first page counts 0.
 */
export async function buscarEstruturas(
  db: Database,
  filtro: FiltroEstruturas,
  pagina: { limit: number; offset: number },
): Promise<PaginaDeEstruturas> {
  const palavras = palavrasDaBusca(filtro.busca);
  const termo = palavras.join(' ');
  const valores: Record<string, unknown> = {
    ...Object.fromEntries(ATRIBUTOS.filter((k) => filtro[k] != null).map((k) => [k, filtro[k]])),
    ...Object.fromEntries(palavras.map((p, i) => [`p${i}`, p])),
    termo,
    termoLike: escaparLike(termo),
    limit: pagina.limit,
    offset: pagina.offset,
    primeiros: pagina.offset + pagina.limit,
  };
  const linhas = await consultaPreparada(db, palavras, filtro).execute(valores);
  const total = linhas.length > 0 ? Number(linhas[0]!.total) : pagina.offset === 0 ? 0 : null;
  return { linhas: linhas.map(({ total: _, ...estrutura }) => estrutura), total };
}

/**
 * How many units match, counted up to `LIMITE_BUSCA_ESTRUTURAS` + 1 (so the caller tells "exactly the limit" from
 * "more", `totalCountLimitado`): one statement that stops reading matches there. The same number as a page's `total`.
 */
export async function contarEstruturas(db: Database, filtro: FiltroEstruturas): Promise<number> {
  const palavras = palavrasDaBusca(filtro.busca);
  const atributos = filtroDeAtributos(filtro);
  if (palavras.length > 0 && !buscaCurta(palavras)) {
    const { motorCte, candidatos } = candidatosDaBusca(db, palavras, atributos);
    const [linha] = await db.with(motorCte, candidatos).select({ n: sql<number>`count(*)::int` }).from(candidatos);
    return linha!.n;
  }
  const termo = palavras.join(' ');
  const [linha] = await db
    .select({ n: contagemLimitada(atributos, palavras.length > 0 ? { termo, termoLike: escaparLike(termo) } : null) })
    .from(sql`(select 1) um`);
  return Number(linha!.n);
}
