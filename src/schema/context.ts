/**
 * The GraphQL context contract, beside the builder that types resolvers with it. It names no
 * domain: each domain adds what it puts here (its live-event bus, its hooks) by declaration
 * merging next to the code that reads it, and the http layer, which composes the domains, fills it.
 */
import type { Database } from '../db/client.js';
import type { Ambiente } from '../kernel/ambiente.js';
import type { Clock } from '../kernel/clock.js';
import { isPenAdmin, orgaosDoViewer, type Viewer } from '../kernel/viewer.js';
import type { Logger } from '../logger.js';
import { forbidden } from './errors.js';

/** This instance's live-event buses (one per event log, declared by its domain) and their limits. */
export interface Feeds {
  /** Events a subscriber may have pending before it is closed as a slow consumer. */
  limiteFila: number;
}

/** What every resolver gets. `viewer` is null only for anonymous introspection. */
export interface GatewayContext {
  db: Database;
  viewer: Viewer | null;
  log: Logger;
  clock: Clock;
  /** The deployment's environment (AMBIENTE_PADRAO): what a read or a start without `ambiente` is about. */
  ambientePadrao: Ambiente;
  feeds: Feeds;
  /** When the viewer's token expires: subscriptions end then. */
  expiresAt: Date | null;
  /** WebSocket only: closes the connection with a code (slow consumer, expired token). */
  encerrarConexao?: (codigo: number, motivo: string) => void;
}

/** The context of a field behind the `authenticated` scope (builder.ts): the viewer is there. */
export type AuthenticatedContext = GatewayContext & { viewer: Viewer };

/**
 * The agency an agency-scoped field is about: the viewer's own by default; for PEN_ADMIN the one
 * asked, or null (all agencies) when none is. Anyone else asking for another agency is FORBIDDEN.
 */
export function orgaoEmFoco(viewer: Viewer, pedido: { id: string | number } | null | undefined): number | null {
  const pedidoId = pedido ? Number(pedido.id) : null;
  if (isPenAdmin(viewer)) return pedidoId;
  // An SPE serving several agencies reads the one it names, as it acts for the one each mutation names.
  if (viewer.spe && pedidoId != null && viewer.spe.orgaoIds.includes(pedidoId)) return pedidoId;
  if (viewer.orgaoId == null) throw forbidden('Seu token não representa um órgão: informe `orgao`.');
  if (pedidoId != null && pedidoId !== viewer.orgaoId) throw forbidden('Você só tem acesso aos dados do seu órgão.');
  return viewer.orgaoId;
}

/**
 * The agencies a trâmite list or feed is about: the one of `orgaoEmFoco`, except that an SPE credential naming none
 * is about every agency its system serves (it reads as each of them, kernel `orgaosDoViewer`). null: every agency
 * (PEN_ADMIN naming none).
 */
export function orgaosEmFoco(viewer: Viewer, pedido: { id: string | number } | null | undefined): readonly number[] | null {
  if (pedido == null && viewer.spe && !isPenAdmin(viewer)) return orgaosDoViewer(viewer);
  const orgaoId = orgaoEmFoco(viewer, pedido);
  return orgaoId == null ? null : [orgaoId];
}
