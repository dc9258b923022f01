import { getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.js';
import { linhasDe } from './linhas.js';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * An append-only event log, the one shape every domain's log takes: its table and `seq` column (a
 * `bigserial`: its sequence hands out one value at a time, never a cached block) and its NOTIFY
 * channel, the table's name (lower case: docs/stack.md trap 3).
 *
 * Writers take no lock: `seq` values are handed out in the order writers ask for them, and a writer
 * may commit after another that took a later seq. Readers that resume "after seq N" therefore read
 * only up to a horizon below which every writer has finished (`marcarLog`, feeds/barramento.ts), so
 * a late commit with a lower seq is delivered before anything after it, never skipped.
 */
export interface EventLog {
  tabela: PgTable;
  seq: PgColumn;
  canal: string;
}

/**
 * Appends rows to an event log, inside the caller's transaction. The table's triggers (migration
 * `log_sem_trava`) give the transaction its id before the rows take their seq, which the horizon rule
 * needs, and announce the highest seq on `canal` with `pg_notify` in the same transaction (delivered
 * on commit, dropped on rollback: docs/stack.md trap 2), so an append is one statement.
 */
export async function anexarAoLog<T extends { seq: number }>(inserir: () => Promise<T[]>): Promise<T[]> {
  return (await inserir()).sort((a, b) => a.seq - b.seq);
}

/**
 * A reader's mark on a log: `xmin` of the snapshot it was taken in (every transaction id below it has
 * finished) and, when seqs after `desde` have been handed out, the last one (`alocado`) and a
 * transaction id taken after reading it (`xid`). Every writer holding a seq <= `alocado` had its
 * transaction id before taking it, so below `xid`: once a later mark's `xmin` passes `xid`, every
 * seq <= `alocado` is final (committed and visible, or rolled back) and can be delivered in order.
 */
export interface Marca {
  xmin: bigint;
  alocado: number;
  xid: bigint | null;
}

export async function marcarLog(db: Database, log: EventLog, desde: number): Promise<Marca> {
  const resultado: unknown = await db.execute(
    sql`select xmin::text as xmin, alocado, xid::text as xid from log_marca(pg_get_serial_sequence(${getTableName(log.tabela)}, 'seq')::regclass, ${desde})`,
  );
  const [linha] = linhasDe<{ xmin: string; alocado: number | string; xid: string | null }>(resultado);
  return { xmin: BigInt(linha!.xmin), alocado: Number(linha!.alocado), xid: linha!.xid == null ? null : BigInt(linha!.xid) };
}

/**
 * A log as the live-event bus reads it (feeds/barramento.ts): its channel, its committed events in
 * (depoisDe, ate] (each domain reads its own, e.g. joined with the trâmite), and its marks.
 */
export function fonteDoLog<E extends { seq: number }>(
  db: Database,
  log: EventLog,
  ler: (depoisDe: number, ate: number, limite: number) => Promise<E[]>,
) {
  return { canal: log.canal, ler, marcar: (desde: number) => marcarLog(db, log, desde) };
}
