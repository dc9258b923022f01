import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import { tramiteEventos } from './tables.js';

export type { Transaction };
export type NovoEvento = typeof tramiteEventos.$inferInsert;
export type Evento = typeof tramiteEventos.$inferSelect;

export const LOG_TRAMITES: EventLog = {
  tabela: tramiteEventos,
  seq: tramiteEventos.seq,
  canal: 'tramite_eventos',
};

/** Appends status changes to the trâmite event log, in commit order, and announces them. */
export function registrarEventos(tx: Transaction, eventos: NovoEvento[]): Promise<Evento[]> {
  if (eventos.length === 0) return Promise.resolve([]);
  return anexarAoLog(() => tx.insert(tramiteEventos).values(eventos).returning());
}
