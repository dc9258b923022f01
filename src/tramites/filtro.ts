import { and, eq, gte, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import { DAY_MS } from '../kernel/clock.js';
import type { Viewer } from '../kernel/viewer.js';
import { tramitesVisiveisSql } from './acesso.js';
import { SITUACOES_EM_ANDAMENTO, type Situacao } from './regras.js';
import type { tramites } from './tables.js';

export type PapelNoTramite = 'ORIGEM' | 'DESTINO' | 'QUALQUER';

/** The `tramites` filter once its global ids are decoded: plain values, no GraphQL. */
export interface FiltroTramites {
  situacoes?: Situacao[] | null;
  orgaoId?: number | null;
  unidadeId?: number | null;
  papel?: PapelNoTramite | null;
  criadoDesde?: Date | null;
  criadoAte?: Date | null;
  paradoHaMaisDeDias?: number | null;
  nre?: string | null;
  numeroProcesso?: string | null;
}

function porParte(papel: PapelNoTramite, remetente: SQL, destinatario: SQL): SQL {
  if (papel === 'ORIGEM') return remetente;
  if (papel === 'DESTINO') return destinatario;
  return or(remetente, destinatario)!;
}

/**
 * The rows of `tramites` a viewer may read that match a filter. Written against a table argument
 * so the same expression serves the page query (an aliased table) and its count.
 */
export function filtroTramitesSql(t: typeof tramites, viewer: Viewer, filtro: FiltroTramites, agora: Date): SQL {
  const papel = filtro.papel ?? 'QUALQUER';
  return and(
    tramitesVisiveisSql(viewer, t),
    filtro.situacoes?.length ? inArray(t.situacao, filtro.situacoes) : undefined,
    filtro.orgaoId != null ? porParte(papel, eq(t.remetenteOrgaoId, filtro.orgaoId), eq(t.destinatarioOrgaoId, filtro.orgaoId)) : undefined,
    filtro.unidadeId != null
      ? porParte(papel, eq(t.remetenteUnidadeId, filtro.unidadeId), eq(t.destinatarioUnidadeId, filtro.unidadeId))
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
  )!;
}

/** Whole days a trâmite has spent in its current status. */
export function diasNaSituacao(situacaoAlteradaEm: Date, agora: Date): number {
  return Math.max(0, Math.floor((agora.getTime() - situacaoAlteradaEm.getTime()) / DAY_MS));
}
