/**
 * The platform's automatic cancellation: a trâmite in 1-4 with no status change for N calendar days
 * moves to 10. Safe with several gateway instances on one database: each batch locks its rows with
 * FOR UPDATE SKIP LOCKED, so two instances never take the same trâmite, and a trâmite a person is
 * moving right now is skipped (and, once moved, is no longer stale).
 */
import { and, asc, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import { DAY_MS, type Clock } from '../kernel/clock.js';
import { ATOR_PLATAFORMA } from '../kernel/platform.js';
import { registrarEventos } from './eventos.js';
import { PASSO_POR_ACAO, type Situacao } from './regras.js';
import { tramites } from './tables.js';

const PASSO = PASSO_POR_ACAO.CANCELAR_AUTOMATICAMENTE;

export interface OpcoesCancelamento {
  agora: Date;
  dias: number;
  /** Trâmites per transaction: bounded so row locks are held briefly. */
  lote?: number;
}

/** Cancels every stale trâmite, batch by batch; returns how many it cancelled. */
export async function cancelarTramitesParados(db: Database, { agora, dias, lote = 200 }: OpcoesCancelamento): Promise<number> {
  const limite = new Date(agora.getTime() - dias * DAY_MS);
  let total = 0;
  for (;;) {
    const cancelados = await db.transaction(async (tx) => {
      const parados = await tx
        .select({ id: tramites.id, situacao: tramites.situacao })
        .from(tramites)
        .where(and(inArray(tramites.situacao, [...PASSO.de]), lt(tramites.situacaoAlteradaEm, limite)))
        .orderBy(asc(tramites.situacaoAlteradaEm))
        .limit(lote)
        .for('update', { skipLocked: true });
      if (parados.length === 0) return 0;
      await tx
        .update(tramites)
        .set({ situacao: PASSO.para, versao: sql`${tramites.versao} + 1`, atualizadoEm: agora, situacaoAlteradaEm: agora })
        .where(
          inArray(
            tramites.id,
            parados.map((p) => p.id),
          ),
        );
      await registrarEventos(
        tx,
        parados.map((p) => ({
          tramiteId: p.id,
          deSituacao: p.situacao as Situacao,
          paraSituacao: PASSO.para,
          atorSujeito: ATOR_PLATAFORMA,
          atorLado: PASSO.lado,
          atorOrgaoId: null,
          justificativa: `Sem mudança de situação há mais de ${dias} dias.`,
          ocorridoEm: agora,
        })),
      );
      return parados.length;
    });
    total += cancelados;
    if (cancelados < lote) return total;
  }
}

export interface Agendador {
  /** Stops the timer and waits for a run in progress. */
  parar(): Promise<void>;
}

/** What a periodic job has done in this process, for the metrics endpoint (read on scrape, never on a run's path). */
export interface EstadoTarefa {
  readonly nome: string;
  execucoes: number;
  falhas: number;
  /** When the last run started and how long it took; the last run that did not fail. */
  ultimoInicio: Date | null;
  ultimaDuracaoMs: number | null;
  ultimoSucesso: Date | null;
}

const tarefasAtivas = new Set<EstadoTarefa>();

/** The periodic jobs scheduled in this process and not stopped (each instance runs its own). */
export function tarefasPeriodicas(): Iterable<EstadoTarefa> {
  return tarefasAtivas;
}

/**
 * Runs `tarefa` after `primeiraEmMs` (now by default) and then every `intervaloMs`; a failed run is logged, never
 * fatal. Runs never overlap: a run that outlasts the interval makes the next tick skip. Shared by the platform's
 * periodic jobs.
 */
/** When a periodic job runs: every `intervaloMs`, the first run after `primeiraEmMs` (0: at once). */
export interface Periodicidade {
  intervaloMs: number;
  primeiraEmMs?: number;
}

export function agendarPeriodicamente(
  tarefa: () => Promise<void>,
  { intervaloMs, primeiraEmMs = 0, logger, nome }: Periodicidade & { logger: Logger; nome: string },
): Agendador {
  let emCurso: Promise<void> = Promise.resolve();
  let parado = false;
  let ocupado = false;
  const estado: EstadoTarefa = { nome, execucoes: 0, falhas: 0, ultimoInicio: null, ultimaDuracaoMs: null, ultimoSucesso: null };
  tarefasAtivas.add(estado);
  const rodar = () => {
    if (ocupado) return; // the previous run is still going: this tick is skipped, not queued
    ocupado = true;
    const inicio = new Date();
    estado.ultimoInicio = inicio;
    emCurso = tarefa()
      .then(
        () => {
          estado.ultimoSucesso = inicio;
        },
        (error: unknown) => {
          estado.falhas++;
          logger.error({ err: error }, `${nome} run failed; will retry at the next interval`);
        },
      )
      .finally(() => {
        estado.execucoes++;
        estado.ultimaDuracaoMs = Date.now() - inicio.getTime();
        ocupado = false;
      });
  };
  let timer: NodeJS.Timeout;
  const repetir = () => {
    timer = setInterval(() => {
      if (!parado) rodar();
    }, intervaloMs);
    timer.unref();
  };
  if (primeiraEmMs > 0) {
    // The first run waits (e.g. until start-up's first requests are served), then the interval takes over.
    timer = setTimeout(() => {
      rodar();
      repetir();
    }, primeiraEmMs);
    timer.unref();
  } else {
    rodar();
    repetir();
  }
  return {
    async parar() {
      parado = true;
      clearInterval(timer); // Node's timers clear alike: the first run's timeout or the interval
      tarefasAtivas.delete(estado);
      await emCurso;
    },
  };
}

/** Runs the cancellation at once (or after `primeiraEmMs`) and then every `intervaloMs`. */
export function agendarCancelamentoAutomatico(
  db: Database,
  { intervaloMs, primeiraEmMs, dias, clock, logger }: Periodicidade & { dias: number; clock: Clock; logger: Logger },
): Agendador {
  return agendarPeriodicamente(
    async () => {
      const n = await cancelarTramitesParados(db, { agora: clock(), dias });
      if (n > 0) logger.info({ cancelados: n, dias }, 'auto-cancel: stale trâmites moved to 10');
    },
    { intervaloMs, primeiraEmMs, logger, nome: 'auto-cancel' },
  );
}
