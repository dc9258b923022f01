/**
 * Counts of trâmites per status from the counters (`tramite_contagens`, tables.ts), so `painel` and `totalCount` read
 * a few rows whatever the number of trâmites. A filter the counters answer is one of an environment, statuses, a
 * creation period, and a side of one agency, of the agencies an SPE serves, or of the whole platform; any other filter
 * (unit, `paradoHaMaisDeDias`, NRE, process number, or a viewer who sees only part of the agency's trâmites) is
 * counted on `tramites` itself. Either way the condition is the list's (`filtroTramitesSql`): a number opens into the
 * list it counts. No GraphQL here.
 */
import { and, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { linhasDe } from '../db/linhas.js';
import { DAY_MS } from '../kernel/clock.js';
import { isPenAdmin, type Viewer } from '../kernel/viewer.js';
import { sistemaOrgaos } from '../sistemas/tables.js';
import { veTodosOsTramitesDoOrgao } from './acesso.js';
import { filtroTramitesSql, type FiltroTramites } from './filtro.js';
import type { Situacao } from './regras.js';
import { tramiteContagens, tramites } from './tables.js';

/** The counter rows a filter's count sums: one side (`lado` of tables.ts) of one agency, of an SPE's agencies, or of all. */
export interface EscopoContadores {
  lado: 'O' | 'D' | 'Q';
  /** null: every agency. */
  orgaoId: number | null;
  sistemaId: number | null;
}

/**
 * The counters that sum to `filtroTramitesSql(filtro)` for this viewer, or null when no sum of counters equals it. The
 * cases follow filtro.ts: `papel` applies to `orgao` and to `sistema`; with neither, the filter names every trâmite of
 * the environment (each once as remetente: `O` of every agency). A viewer who is not PEN_ADMIN must see every trâmite of
 * the agency counted (acesso.ts), else the visibility rule cuts across the counters.
 */
export function escopoDosContadores(viewer: Viewer, filtro: FiltroTramites): EscopoContadores | null {
  if (filtro.unidadeId != null || filtro.paradoHaMaisDeDias != null || filtro.nre || filtro.numeroProcesso) return null;
  const papel = filtro.papel ?? 'QUALQUER';
  const sistemaId = filtro.sistemaId ?? null;
  const orgaoId = filtro.orgaoId ?? null;
  if (!isPenAdmin(viewer)) {
    // What this viewer sees with no agency filter is its own agency's `Q`.
    if (orgaoId == null && sistemaId == null && viewer.orgaoId != null && veTodosOsTramitesDoOrgao(viewer, viewer.orgaoId))
      return { lado: 'Q', orgaoId: viewer.orgaoId, sistemaId: null };
    if (orgaoId == null || !veTodosOsTramitesDoOrgao(viewer, orgaoId)) return null;
  }
  if (orgaoId == null && sistemaId == null) return { lado: 'O', orgaoId: null, sistemaId: null };
  if (papel === 'QUALQUER') return sistemaId == null ? { lado: 'Q', orgaoId, sistemaId: null } : null;
  return { lado: papel === 'ORIGEM' ? 'O' : 'D', orgaoId, sistemaId };
}

/** A bucket scale of `tramite_contagens.escala`: a calendar year, month or day (UTC). */
type Escala = 'A' | 'M' | 'D';

/** The buckets of one scale whose starts lie in a half-open range (`YYYY-MM-DD`); null ends are open. */
export interface Baldes {
  escala: Escala;
  de: string | null;
  ate: string | null;
}

/**
 * A creation period (`desde` and `ate` inclusive, either open) as whole years, whole months at the years' edges, whole
 * days at the months' edges, and exact ranges for the partial days at the ends: the first three are counter rows, the
 * last at most a day of trâmites each, counted on `tramites` through the list's own condition. So any period costs
 * at most (years + 22 months + 60 days) counter rows per status plus two days of trâmites, and an exact answer.
 */
export interface PartesDoPeriodo {
  baldes: Baldes[];
  /** Exact ranges of `criado_em`: from `de` inclusive to `ate` (exclusive, or inclusive when `ateInclusivo`). */
  bordas: { de: Date | null; ate: Date | null; ateInclusivo: boolean }[];
}

const diaUtc = (d: Date) => d.toISOString().slice(0, 10);
const inicioDoDia = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const diaSeguinte = (d: Date) => new Date(d.getTime() + DAY_MS);

/** The scales from the coarsest: each bucket's start (`piso`) and the next bucket's. */
const ESCALAS: { escala: Escala; piso: (d: Date) => Date; proximo: (d: Date) => Date }[] = [
  {
    escala: 'A',
    piso: (d) => new Date(Date.UTC(d.getUTCFullYear(), 0, 1)),
    proximo: (d) => new Date(Date.UTC(d.getUTCFullYear() + 1, 0, 1)),
  },
  {
    escala: 'M',
    piso: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),
    proximo: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)),
  },
  { escala: 'D', piso: inicioDoDia, proximo: diaSeguinte },
];

/** The first bucket start at or after `d`. */
const teto = (d: Date, nivel: number) => {
  const { piso, proximo } = ESCALAS[nivel]!;
  return piso(d).getTime() === d.getTime() ? d : proximo(piso(d));
};

/** Whole days [de, ate) (null: open) as the fewest buckets: the coarsest scale inside, finer ones at its edges. */
function baldesEntre(de: Date | null, ate: Date | null, nivel = 0): Baldes[] {
  if (de && ate && de >= ate) return [];
  const { escala, piso } = ESCALAS[nivel]!;
  if (nivel === ESCALAS.length - 1) return [{ escala, de: de && diaUtc(de), ate: ate && diaUtc(ate) }];
  const a = de ? teto(de, nivel) : null;
  const b = ate ? piso(ate) : null;
  if (a && b && a >= b) return baldesEntre(de, ate, nivel + 1);
  return [
    ...(de ? baldesEntre(de, a, nivel + 1) : []),
    { escala, de: a && diaUtc(a), ate: b && diaUtc(b) },
    ...(ate ? baldesEntre(b, ate, nivel + 1) : []),
  ];
}

export function partesDoPeriodo(desde: Date | null, ate: Date | null): PartesDoPeriodo {
  // Whole days: [dia0, dia1); `ate` is inclusive, so its own day is always a partial one.
  const dia0 = desde ? teto(desde, ESCALAS.length - 1) : null;
  const dia1 = ate ? inicioDoDia(ate) : null;
  if (dia0 && dia1 && dia0 >= dia1) return { baldes: [], bordas: [{ de: desde, ate, ateInclusivo: true }] };
  const bordas: PartesDoPeriodo['bordas'] = [];
  if (desde && dia0 && desde < dia0) bordas.push({ de: desde, ate: dia0, ateInclusivo: false });
  if (dia1) bordas.push({ de: dia1, ate, ateInclusivo: true });
  return { baldes: baldesEntre(dia0, dia1), bordas };
}

const c = tramiteContagens;

/**
 * A scale or a side written into the statement, not bound: a prepared statement's generic plan then knows which (a
 * few statement texts, one per combination). Bound, `escala = $n` is costed at a third of the table (three scales),
 * where the year rows are 1 in 150: PostgreSQL kept planning the all-time panel and `totalCount` with their values at
 * every run (0 generic plans in 7), 0.15–0.3 ms of planning each.
 */
const literal = (valor: Escala | EscopoContadores['lado']) => sql.raw(`'${valor}'`);

function faixa(f: Baldes): SQL {
  return and(sql`${c.escala} = ${literal(f.escala)}`, f.de ? gte(c.inicio, f.de) : undefined, f.ate ? lt(c.inicio, f.ate) : undefined)!;
}

/** One filter's counters: its key `k` in the statement and what selects its rows. */
interface PedidoDeContadores {
  k: number;
  filtro: FiltroTramites;
  escopo: EscopoContadores;
  baldes: Baldes[];
}

/**
 * The counter rows of filters that differ only in their side (a panel's `O` and `D`) as one scan of the primary key with
 * `lado in (…)`, each row's `k` told by its side: one relation for the planner instead of one per side (at 100,000
 * trâmites a period's panel planned in 0.12 ms instead of 0.32 and ran in 0.18 instead of 0.31).
 */
function contadoresDe(pedidos: PedidoDeContadores[]): SQL {
  const [{ filtro, escopo, baldes }] = pedidos as [PedidoDeContadores, ...PedidoDeContadores[]];
  const chave =
    pedidos.length === 1
      ? sql.raw(String(pedidos[0]!.k))
      : sql`case ${c.lado} ${sql.join(
          pedidos.map((p) => sql`when ${literal(p.escopo.lado)} then ${sql.raw(String(p.k))}`),
          sql` `,
        )} end`;
  const onde = and(
    eq(c.ambiente, filtro.ambiente),
    // One side is `lado = 'O'` (PostgreSQL reads a one-item `in` as `=`).
    sql`${c.lado} in (${sql.join(
      pedidos.map((p) => literal(p.escopo.lado)),
      sql`, `,
    )})`,
    escopo.orgaoId != null ? eq(c.orgaoId, escopo.orgaoId) : undefined,
    // `= any(array(…))`: the agencies' rows by the primary key, where `in (…)` let the planner hash-join every
    // agency's rows of the side with the SPE's few.
    escopo.sistemaId != null
      ? sql`${c.orgaoId} = any(array(select ${sistemaOrgaos.orgaoId} from ${sistemaOrgaos} where ${sistemaOrgaos.sistemaId} = ${escopo.sistemaId}))`
      : undefined,
    filtro.situacoes?.length ? inArray(c.situacao, filtro.situacoes) : undefined,
    or(...baldes.map(faixa)),
  );
  return sql`select ${chave} as k, ${c.situacao} as situacao, ${c.quantidade} as n from ${c} where ${onde}`;
}

/**
 * The parts of a statement that answer each `tramites(filtro)` for this viewer per status, as rows (`k`, `situacao`,
 * `n`) to be summed: from the counters plus the partial days at the period's ends when the filter is one they answer,
 * else one count over `tramites`. Filters whose counters differ only in their side share one scan (contadoresDe).
 */
function partesDaContagem(viewer: Viewer, filtros: readonly FiltroTramites[], agora: Date): SQL[] {
  const pedacos: SQL[] = [];
  // Counter requests by everything but the side; a side already in its group (the same filter twice) starts another.
  const grupos = new Map<string, PedidoDeContadores[]>();
  const avulsos: PedidoDeContadores[][] = [];
  filtros.forEach((filtro, k) => {
    const chave = sql.raw(String(k));
    const escopo = escopoDosContadores(viewer, filtro);
    if (!escopo) {
      pedacos.push(
        sql`select ${chave} as k, ${tramites.situacao} as situacao, count(*) as n from ${tramites}
          where ${filtroTramitesSql(tramites, viewer, filtro, agora)} group by ${tramites.situacao}`,
      );
      return;
    }
    const partes = partesDoPeriodo(filtro.criadoDesde ?? null, filtro.criadoAte ?? null);
    if (partes.baldes.length) {
      const pedido: PedidoDeContadores = { k, filtro, escopo, baldes: partes.baldes };
      const grupo = JSON.stringify([filtro.ambiente, escopo.orgaoId, escopo.sistemaId, filtro.situacoes ?? null, partes.baldes]);
      const doGrupo = grupos.get(grupo);
      if (!doGrupo) grupos.set(grupo, [pedido]);
      else if (doGrupo.some((p) => p.escopo.lado === escopo.lado)) avulsos.push([pedido]);
      else doGrupo.push(pedido);
    }
    // At most a day at each end, of one side of the scope, each its own range: an index-only scan of
    // `tramites_*_orgao_criado_idx` (tables.ts). One OR of both ranges is a bitmap over the heap, costed high enough
    // that the planner may hand the statement to parallel workers (~100 ms to start them under load).
    const semPeriodo = filtroTramitesSql(tramites, viewer, { ...filtro, criadoDesde: null, criadoAte: null }, agora);
    for (const b of partes.bordas) {
      const naBorda = and(
        b.de ? gte(tramites.criadoEm, b.de) : undefined,
        b.ate ? (b.ateInclusivo ? lte(tramites.criadoEm, b.ate) : lt(tramites.criadoEm, b.ate)) : undefined,
      );
      pedacos.push(sql`select ${chave} as k, ${tramites.situacao} as situacao, 1 as n from ${tramites} where ${and(semPeriodo, naBorda)}`);
    }
  });
  return [...[...grupos.values(), ...avulsos].map(contadoresDe), ...pedacos];
}

/**
 * The trâmites of `tramites(filtro)` for this viewer per status (statuses with none are absent), for each filter:
 * one statement for all of them (a panel's two sides), one round trip and one plan.
 */
export async function contarPorSituacaoDeCada<const F extends readonly FiltroTramites[]>(
  db: Database,
  viewer: Viewer,
  filtros: F,
  agora: Date,
): Promise<{ [K in keyof F]: Map<Situacao, number> }> {
  const partes = partesDaContagem(viewer, filtros, agora);
  const contagens = filtros.map(() => new Map<Situacao, number>()) as { [K in keyof F]: Map<Situacao, number> };
  if (!partes.length) return contagens;
  const rows = linhasDe<{ k: number; situacao: number; n: number }>(
    await db.execute(sql`select k, situacao, sum(n)::int as n from (${sql.join(partes, sql` union all `)}) as partes group by 1, 2`),
  );
  for (const r of rows)
    if (Number(r.n) !== 0) (contagens[Number(r.k)] as Map<Situacao, number>).set(Number(r.situacao) as Situacao, Number(r.n));
  return contagens;
}

/** The trâmites of `tramites(filtro)` for this viewer, per status (statuses with none are absent). One statement. */
export async function contarPorSituacao(db: Database, viewer: Viewer, filtro: FiltroTramites, agora: Date): Promise<Map<Situacao, number>> {
  const [contagem] = await contarPorSituacaoDeCada(db, viewer, [filtro], agora);
  return contagem;
}

/** `totalCount` of `tramites(filtro)`. */
export async function contarTramites(db: Database, viewer: Viewer, filtro: FiltroTramites, agora: Date): Promise<number> {
  let total = 0;
  for (const n of (await contarPorSituacao(db, viewer, filtro, agora)).values()) total += n;
  return total;
}
