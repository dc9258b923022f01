import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import { onboardingEventos } from './tables.js';

export type NovoEventoOnboarding = typeof onboardingEventos.$inferInsert;
export type EventoOnboarding = typeof onboardingEventos.$inferSelect;

export const LOG_ONBOARDING: EventLog = {
  tabela: onboardingEventos,
  seq: onboardingEventos.seq,
  canal: 'onboarding_eventos',
};

/** Appends stage and checklist changes to the onboarding event log, in commit order, and announces them. */
export function registrarEventosOnboarding(tx: Transaction, eventos: NovoEventoOnboarding[]): Promise<EventoOnboarding[]> {
  return anexarAoLog(() => tx.insert(onboardingEventos).values(eventos).returning());
}
