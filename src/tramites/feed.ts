/**
 * Live events of trâmites (status changes, components received, receipts issued): the event log read by the bus (feeds/barramento.ts), joined
 * with the trâmite, filtered per subscriber and per viewer.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { fonteDoLog } from '../db/log.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';
import type { FonteEventos } from '../feeds/barramento.js';
import { canSeeEvento } from './acesso.js';
import { LOG_TRAMITES, type Evento, type TipoEvento } from './eventos.js';
import type { PapelNoTramite } from './filtro.js';
import type { Situacao } from './regras.js';
import { tramiteEventos, tramites } from './tables.js';
import type { TramiteRow } from './servico.js';

/** An event with the trâmite as it is when the event is read. */
export type EventoComTramite = Evento & { tramite: TramiteRow };

export interface FiltroFeed {
  /** The subscription's environment: events of the other one never reach it. */
  ambiente: Ambiente;
  tramiteId?: number | null;
  /** Only trâmites where one of these agencies is on the side of `papel` (null: no narrowing beyond the read rule). */
  orgaoIds?: readonly number[] | null;
  papel?: PapelNoTramite | null;
  situacoes?: Situacao[] | null;
  /** The event kinds wanted (default: SITUACAO only, the status changes). */
  tipos?: readonly TipoEvento[] | null;
}

/**
 * Committed events in (depoisDe, ate], in seq order. The bus reads them all; a replay narrows to
 * one trâmite in SQL (indexed) and leaves the rest of its filter to `passaNoFeed`.
 */
export async function lerEventosTramite(
  db: Database,
  depoisDe: number,
  limite: number,
  ate: number | null = null,
  tramiteId: number | null = null,
): Promise<EventoComTramite[]> {
  const linhas = await db
    .select({ evento: tramiteEventos, tramite: tramites })
    .from(tramiteEventos)
    .innerJoin(tramites, eq(tramites.id, tramiteEventos.tramiteId))
    .where(
      and(
        gt(tramiteEventos.seq, depoisDe),
        ate != null ? lte(tramiteEventos.seq, ate) : undefined,
        tramiteId != null ? eq(tramiteEventos.tramiteId, tramiteId) : undefined,
      ),
    )
    .orderBy(asc(tramiteEventos.seq))
    .limit(limite);
  return linhas.map((l) => ({ ...l.evento, tramite: l.tramite }));
}

export function fonteEventosTramite(db: Database): FonteEventos<EventoComTramite> {
  return fonteDoLog(db, LOG_TRAMITES, (depoisDe, ate, limite) => lerEventosTramite(db, depoisDe, limite, ate));
}

/** A feed without `tipos` delivers status changes only, as before there were other kinds. */
export const TIPOS_PADRAO: readonly TipoEvento[] = ['SITUACAO'];

/**
 * Whether a subscriber gets an event: its filter, and the read rule of the event's kind (acesso.ts
 * `canSeeEvento`) applied to the trâmite as it is now (read with the event), live and in replay alike: after a refusal the destinatário sees
 * none of the trâmite's events, old ones included, as in the read API.
 */
export function passaNoFeed(viewer: Viewer, filtro: FiltroFeed, evento: EventoComTramite): boolean {
  const { tramite } = evento;
  if (!(filtro.tipos ?? TIPOS_PADRAO).includes(evento.tipo)) return false;
  if (tramite.ambiente !== filtro.ambiente || !canSeeEvento(viewer, tramite, evento)) return false;
  if (filtro.tramiteId != null && evento.tramiteId !== filtro.tramiteId) return false;
  if (filtro.situacoes?.length && !filtro.situacoes.includes(evento.paraSituacao as Situacao)) return false;
  if (filtro.orgaoIds != null) {
    const papel = filtro.papel ?? 'QUALQUER';
    const origem = filtro.orgaoIds.includes(tramite.remetenteOrgaoId);
    const destino = filtro.orgaoIds.includes(tramite.destinatarioOrgaoId);
    if (papel === 'ORIGEM' ? !origem : papel === 'DESTINO' ? !destino : !(origem || destino)) return false;
  }
  return true;
}
