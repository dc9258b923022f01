import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { tramiteEventos } from './tables.js';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type NovoEvento = typeof tramiteEventos.$inferInsert;
export type Evento = typeof tramiteEventos.$inferSelect;

/** Channel of the NOTIFY sent with every committed batch of events (lower case: stack.md trap 3). */
export const CANAL_EVENTOS = 'tramite_eventos';
const EVENT_LOG_LOCK_KEY = 7_411_027_002;

/**
 * Appends events to the log and announces them, inside the caller's transaction. The
 * transaction-level lock taken just before the insert makes `seq` follow commit order (a later
 * seq is never visible before an earlier one), so feeds can resume "after seq N" without gaps.
 * It is held only from here to COMMIT. `pg_notify` on the transaction is delivered on commit and
 * dropped on rollback (stack.md trap 2).
 */
export async function registrarEventos(tx: Transaction, eventos: NovoEvento[]): Promise<Evento[]> {
  if (eventos.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK_KEY})`);
  const inseridos = await tx.insert(tramiteEventos).values(eventos).returning();
  const ultimo = Math.max(...inseridos.map((e) => e.seq));
  await tx.execute(sql`select pg_notify(${CANAL_EVENTOS}, ${String(ultimo)})`);
  return inseridos.sort((a, b) => a.seq - b.seq);
}
