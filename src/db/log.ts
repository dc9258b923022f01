import { max, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.js';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * An append-only event log, the one shape both domains' logs take: its table and `seq` column, its
 * NOTIFY channel (lower case: docs/stack.md trap 3) and its ordering lock (kernel/locks.ts).
 */
export interface EventLog {
  tabela: PgTable;
  seq: PgColumn;
  canal: string;
  chaveTrava: number;
}

/**
 * Appends rows to an event log and announces them, inside the caller's transaction. The
 * transaction-level lock taken just before the insert makes `seq` follow commit order (a later
 * seq is never visible before an earlier one), so feeds can resume "after seq N" without gaps.
 * It is held only from here to COMMIT. `pg_notify` on the transaction is delivered on commit and
 * dropped on rollback (docs/stack.md trap 2).
 */
export async function anexarAoLog<T extends { seq: number }>(tx: Transaction, log: EventLog, inserir: () => Promise<T[]>): Promise<T[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${log.chaveTrava})`);
  const inseridos = (await inserir()).sort((a, b) => a.seq - b.seq);
  if (inseridos.length > 0) await tx.execute(sql`select pg_notify(${log.canal}, ${String(inseridos.at(-1)!.seq)})`);
  return inseridos;
}

/** The highest committed `seq` of a log (0 while it is empty): where a feed starts. */
export async function ultimoSeq(db: Database, log: EventLog): Promise<number> {
  const [linha] = await db.select({ seq: max(log.seq) }).from(log.tabela);
  return Number(linha?.seq ?? 0);
}

/**
 * A log as the live-event bus reads it (feeds/barramento.ts): its channel, its committed events after
 * a seq (each domain reads its own, e.g. joined with the trâmite), and where it ends.
 */
export function fonteDoLog<E extends { seq: number }>(
  db: Database,
  log: EventLog,
  ler: (depoisDe: number, limite: number) => Promise<E[]>,
) {
  return { canal: log.canal, ler, ultimoSeq: () => ultimoSeq(db, log) };
}
