/**
 * Stuck alerts as a log: a scan (every instance may run it; each crossing is written once, by the unique key)
 * appends one row when a pending trâmite has been in its status longer than a configured threshold (the connection
 * module's monitor: 60 and 90 minutes), and the live feed reads that log like the others, resumable by cursor.
 */
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { anexarAoLog, fonteDoLog, type EventLog } from '../db/log.js';
import type { FonteEventos } from '../feeds/barramento.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../kernel/clock.js';
import type { Viewer } from '../kernel/viewer.js';
import { canReadTramite } from './acesso.js';
import type { TramiteRow } from './servico.js';
import { tramiteAlertas, tramites } from './tables.js';
import { agendarPeriodicamente, type Agendador, type Periodicidade } from './cancelamento-automatico.js';

export type AlertaParado = typeof tramiteAlertas.$inferSelect;
export type AlertaComTramite = AlertaParado & { tramite: TramiteRow };

export const LOG_ALERTAS: EventLog = {
  tabela: tramiteAlertas,
  seq: tramiteAlertas.seq,
  canal: 'tramite_alertas',
};

/** How far back the first scan of a threshold looks (later scans start where the previous one ended). */
const PRIMEIRA_VARREDURA_MS = 24 * 60 * 60_000;

/**
 * Appends the alerts due at `agora`, for each threshold: the pending trâmites whose status began before
 * `agora - limiar` and after what that threshold's log already covers. Returns how many were written.
 */
export async function emitirAlertasParados(db: Database, { agora, limiaresMinutos }: { agora: Date; limiaresMinutos: readonly number[] }) {
  let total = 0;
  for (const limiar of limiaresMinutos) {
    const ate = new Date(agora.getTime() - limiar * 60_000);
    total += await db.transaction(async (tx) => {
      // One scan at a time: the watermark and the insert see every earlier scan, whichever instance ran it.
      await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.varreduraAlertas})`);
      const inseridos = await anexarAoLog(async () => {
        const [marca] = await tx
          .select({ ultimo: sql<Date | string | null>`max(${tramiteAlertas.situacaoAlteradaEm})` })
          .from(tramiteAlertas)
          .where(eq(tramiteAlertas.limiarMinutos, limiar));
        const desde = marca?.ultimo ? new Date(marca.ultimo) : new Date(ate.getTime() - PRIMEIRA_VARREDURA_MS);
        return tx
          .insert(tramiteAlertas)
          .select(
            tx
              .select({
                seq: sql`nextval(pg_get_serial_sequence('tramite_alertas', 'seq'))`.as('seq'),
                tramiteId: tramites.id,
                limiarMinutos: sql`${limiar}::int`.as('limiar_minutos'),
                situacao: tramites.situacao,
                situacaoAlteradaEm: tramites.situacaoAlteradaEm,
                orgaoId: sql`${tramites.orgaoPendenteId}`.as('orgao_id'),
                emitidoEm: sql`${agora.toISOString()}::timestamptz`.as('emitido_em'),
              })
              .from(tramites)
              .where(
                and(
                  sql`${tramites.orgaoPendenteId} is not null`,
                  sql`${tramites.situacaoAlteradaEm} >= ${desde.toISOString()}::timestamptz`,
                  lte(tramites.situacaoAlteradaEm, ate),
                ),
              )
              .orderBy(asc(tramites.situacaoAlteradaEm), asc(tramites.id)),
          )
          .onConflictDoNothing()
          .returning();
      });
      return inseridos.length;
    });
  }
  return total;
}

/** Committed alerts in (depoisDe, ate], with their trâmite as it is now. */
export async function lerAlertas(db: Database, depoisDe: number, limite: number, ate: number | null = null): Promise<AlertaComTramite[]> {
  const linhas = await db
    .select({ alerta: tramiteAlertas, tramite: tramites })
    .from(tramiteAlertas)
    .innerJoin(tramites, eq(tramites.id, tramiteAlertas.tramiteId))
    .where(and(gt(tramiteAlertas.seq, depoisDe), ate != null ? lte(tramiteAlertas.seq, ate) : undefined))
    .orderBy(asc(tramiteAlertas.seq))
    .limit(limite);
  return linhas.map((l) => ({ ...l.alerta, tramite: l.tramite }));
}

export function fonteAlertasParados(db: Database): FonteEventos<AlertaComTramite> {
  return fonteDoLog(db, LOG_ALERTAS, (depoisDe, ate, limite) => lerAlertas(db, depoisDe, limite, ate));
}

/**
 * Whether a subscriber gets an alert: its agency's side must act (PEN_ADMIN without an agency: every side), the
 * trâmite is still in the status the alert is about (a step since then answered it), and the viewer may read it.
 */
export function alertaVale(
  viewer: Viewer,
  orgaoIds: readonly number[] | null,
  limiarMinutos: number | null,
  alerta: AlertaComTramite,
): boolean {
  if (orgaoIds != null && !orgaoIds.includes(alerta.orgaoId)) return false;
  if (limiarMinutos != null && alerta.limiarMinutos !== limiarMinutos) return false;
  const { tramite } = alerta;
  if (tramite.situacao !== alerta.situacao || tramite.situacaoAlteradaEm.getTime() !== alerta.situacaoAlteradaEm.getTime()) return false;
  return canReadTramite(viewer, tramite);
}

/** Runs the scan at once (or after `primeiraEmMs`) and then every `intervaloMs` (each instance may: every crossing is written once). */
export function agendarAlertasParados(
  db: Database,
  {
    intervaloMs,
    primeiraEmMs,
    limiaresMinutos,
    clock,
    logger,
  }: Periodicidade & { limiaresMinutos: readonly number[]; clock: Clock; logger: Logger },
): Agendador {
  return agendarPeriodicamente(
    async () => {
      const n = await emitirAlertasParados(db, { agora: clock(), limiaresMinutos });
      if (n > 0) logger.info({ alertas: n, limiaresMinutos }, 'stuck alerts emitted');
    },
    { intervaloMs, primeiraEmMs, logger, nome: 'stuck-alert scan' },
  );
}
