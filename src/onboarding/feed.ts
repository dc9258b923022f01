import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { fonteDoLog } from '../db/log.js';
import type { FonteEventos } from '../feeds/barramento.js';
import { isPenAdmin, type Viewer } from '../kernel/viewer.js';
import { LOG_ONBOARDING, type EventoOnboarding } from './eventos.js';
import { onboardingEventos } from './tables.js';

/** Committed onboarding events in (depoisDe, ate], in seq order, optionally of one agency. */
export function lerEventosOnboarding(
  db: Database,
  depoisDe: number,
  limite: number,
  ate: number | null = null,
  orgaoId: number | null = null,
): Promise<EventoOnboarding[]> {
  return db
    .select()
    .from(onboardingEventos)
    .where(
      and(
        gt(onboardingEventos.seq, depoisDe),
        ate != null ? lte(onboardingEventos.seq, ate) : undefined,
        orgaoId != null ? eq(onboardingEventos.orgaoId, orgaoId) : undefined,
      ),
    )
    .orderBy(asc(onboardingEventos.seq))
    .limit(limite);
}

export function fonteEventosOnboarding(db: Database): FonteEventos<EventoOnboarding> {
  return fonteDoLog(db, LOG_ONBOARDING, (depoisDe, ate, limite) => lerEventosOnboarding(db, depoisDe, limite, ate));
}

/** An agency's people follow their own agency; PEN_ADMIN any agency (or all, with `orgaoId` null). */
export function podeVerOnboarding(viewer: Viewer, orgaoId: number): boolean {
  return isPenAdmin(viewer) || viewer.orgaoId === orgaoId;
}
