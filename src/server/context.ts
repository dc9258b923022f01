import type { Database } from '../db/client.js';
import type { Viewer } from '../identity/viewer.js';
import type { Logger } from '../logger.js';
import { unauthenticated } from '../schema/errors.js';

export type Clock = () => Date;

/** What every resolver gets. `viewer` is null only for anonymous introspection. */
export interface GatewayContext {
  db: Database;
  viewer: Viewer | null;
  log: Logger;
  clock: Clock;
}

export function requireViewer(ctx: GatewayContext): Viewer {
  if (!ctx.viewer) throw unauthenticated('Autenticação necessária: envie um token Bearer válido.');
  return ctx.viewer;
}
