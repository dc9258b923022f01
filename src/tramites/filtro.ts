import { and, eq, gte, inArray, isNotNull, lt, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { sistemaOrgaos } from '../sistemas/tables.js';
import { DAY_MS } from '../kernel/clock.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';
import { tramitesVisiveisSql } from './acesso.js';
import { SITUACOES_EM_ANDAMENTO, type Situacao } from './regras.js';
import type { tramites } from './tables.js';

export type PapelNoTramite = 'ORIGEM' | 'DESTINO' | 'QUALQUER';

/** The `tramites` filter once its global ids are decoded: plain values, no GraphQL. */
export interface FiltroTramites {
  /** Always one environment: a list, a count or a panel never mixes them. */
  ambiente: Ambiente;
  situacoes?: Situacao[] | null;
  orgaoId?: number | null;
  unidadeId?: number | null;
  papel?: PapelNoTramite | null;
  criadoDesde?: Date | null;
  criadoAte?: Date | null;
  paradoHaMaisDeDias?: number | null;
  nre?: string | null;
  numeroProcesso?: string | null;
  /**
   * Only trâmites whose side (`papel`) is operated by this SPE: a side is operated by the SPEs that serve its agency
   * (`sistema_orgaos`, derived, not recorded per trâmite). The seam of the painel's "filter by SPE".
   */
  sistemaId?: number | null;
}

/** After a refusal only the sender sees a trâmite (docs/domain.md §3): as destination, 8 and 9 count nowhere (§9). */
const SITUACOES_FORA_DO_DESTINO: Situacao[] = [8, 9];

function porParte(papel: PapelNoTramite, t: typeof tramites, remetente: SQL, destinatario: SQL): SQL {
  const comoDestino = and(destinatario, notInArray(t.situacao, SITUACOES_FORA_DO_DESTINO))!;
  if (papel === 'ORIGEM') return remetente;
  if (papel === 'DESTINO') return comoDestino;
  return or(remetente, comoDestino)!;
}

/**
 * The rows of `tramites` a viewer may read that match a filter. Written against a table argument
 * so the same expression serves the page query (an aliased table) and its count.
 */
export function filtroTramitesSql(t: typeof tramites, viewer: Viewer, filtro: FiltroTramites, agora: Date): SQL {
  const papel = filtro.papel ?? 'QUALQUER';
  return and(
    eq(t.ambiente, filtro.ambiente),
    tramitesVisiveisSql(viewer, t),
    filtro.situacoes?.length ? inArray(t.situacao, filtro.situacoes) : undefined,
    filtro.orgaoId != null
      ? porParte(papel, t, eq(t.remetenteOrgaoId, filtro.orgaoId), eq(t.destinatarioOrgaoId, filtro.orgaoId))
      : undefined,
    filtro.unidadeId != null
      ? // As destination, a centralising unit also has what it receives for other units (`unidadeReceptora`).
        porParte(
          papel,
          t,
          eq(t.remetenteUnidadeId, filtro.unidadeId),
          or(eq(t.destinatarioUnidadeId, filtro.unidadeId), eq(t.unidadeReceptoraId, filtro.unidadeId))!,
        )
      : undefined,
    filtro.criadoDesde ? gte(t.criadoEm, filtro.criadoDesde) : undefined,
    filtro.criadoAte ? lte(t.criadoEm, filtro.criadoAte) : undefined,
    filtro.paradoHaMaisDeDias != null
      ? and(
          inArray(t.situacao, [...SITUACOES_EM_ANDAMENTO]),
          lt(t.situacaoAlteradaEm, new Date(agora.getTime() - filtro.paradoHaMaisDeDias * DAY_MS)),
        )
      : undefined,
    filtro.nre ? eq(t.nre, filtro.nre) : undefined,
    filtro.numeroProcesso ? eq(t.numeroProcesso, filtro.numeroProcesso) : undefined,
    filtro.sistemaId != null ? operadosPeloSistema(papel, t, filtro.sistemaId) : undefined,
  )!;
}

function operadosPeloSistema(papel: PapelNoTramite, t: typeof tramites, sistemaId: number): SQL {
  const servidos = (coluna: typeof t.remetenteOrgaoId) =>
    inArray(coluna, sql`(select ${sistemaOrgaos.orgaoId} from ${sistemaOrgaos} where ${sistemaOrgaos.sistemaId} = ${sistemaId})`);
  return porParte(papel, t, servidos(t.remetenteOrgaoId), servidos(t.destinatarioOrgaoId));
}

/** Whole days a trâmite has spent in its current status. */
export function diasNaSituacao(situacaoAlteradaEm: Date, agora: Date): number {
  return Math.max(0, Math.floor((agora.getTime() - situacaoAlteradaEm.getTime()) / DAY_MS));
}

/**
 * Whose pending work a `pendencias` list shows: one agency's, or every agency an SPE serves (the list is then the
 * union of their sides' pending work).
 */
export interface EscopoPendencias {
  ambiente: Ambiente;
  /** null: the whole platform (PEN_ADMIN without an agency). */
  orgaoIds: readonly number[] | null;
  /** Only those in their status since before this instant (stuck alerts). */
  paradasAntesDe?: Date | null;
}

/**
 * The trâmites waiting for an act of the scope's side now: `orgao_pendente_id` is PostgreSQL's copy of the rule of
 * `pendenteParaOrgao` (tables.ts), indexed with the page's order.
 */
export function pendenciasSql(t: typeof tramites, escopo: EscopoPendencias): SQL {
  return and(
    eq(t.ambiente, escopo.ambiente),
    escopo.orgaoIds == null ? isNotNull(t.orgaoPendenteId) : inArray(t.orgaoPendenteId, [...escopo.orgaoIds]),
    escopo.paradasAntesDe ? lt(t.situacaoAlteradaEm, escopo.paradasAntesDe) : undefined,
  )!;
}
