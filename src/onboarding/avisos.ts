/**
 * Delivery of the e-mail outbox (`avisos_email`). Each run claims due notices with FOR UPDATE SKIP
 * LOCKED, sends each through the transport and marks it sent in the SAME transaction, so with any
 * number of instances a notice is sent by one of them; a failure records the error and the next try
 * (doubling backoff, regras.ts). A crash between the SMTP acceptance and the commit resends the
 * notice with its fixed Message-ID, which the receiving side deduplicates.
 */
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../logger.js';
import { type Agendador, agendarPeriodicamente, type Periodicidade } from '../tramites/cancelamento-automatico.js';
import { atrasoDeNovaTentativa } from './regras.js';
import { avisosEmail } from './tables.js';

export type AvisoEmail = typeof avisosEmail.$inferSelect;

/** What sends one message (nodemailer's transport in the gateway; anything with this shape). */
export interface TransporteEmail {
  enviar(mensagem: { de: string; para: string; assunto: string; corpo: string; messageId: string }): Promise<void>;
}

export interface OpcoesEntrega {
  agora: Date;
  de: string;
  /** The first retry delay (NOTICE_RETRY_MS). */
  baseMs: number;
  /** Notices per transaction. */
  lote?: number;
}

/** Delivers every due notice once; returns how many were sent and how many failed this run. */
export async function entregarAvisos(
  db: Database,
  transporte: TransporteEmail,
  { agora, de, baseMs, lote = 20 }: OpcoesEntrega,
): Promise<{ enviados: number; falhas: number }> {
  return db.transaction(async (tx) => {
    const devidos = await tx
      .select()
      .from(avisosEmail)
      .where(and(isNull(avisosEmail.enviadoEm), lte(avisosEmail.proximaTentativaEm, agora)))
      .orderBy(asc(avisosEmail.proximaTentativaEm), asc(avisosEmail.id))
      .limit(lote)
      .for('update', { skipLocked: true });
    let enviados = 0;
    let falhas = 0;
    for (const aviso of devidos) {
      try {
        await transporte.enviar({ de, para: aviso.para, assunto: aviso.assunto, corpo: aviso.corpo, messageId: aviso.messageId });
        await tx
          .update(avisosEmail)
          .set({ enviadoEm: agora, tentativas: aviso.tentativas + 1, ultimoErro: null })
          .where(eq(avisosEmail.id, aviso.id));
        enviados++;
      } catch (erro) {
        const tentativas = aviso.tentativas + 1;
        await tx
          .update(avisosEmail)
          .set({
            tentativas,
            ultimoErro: String((erro as Error)?.message ?? erro).slice(0, 500),
            proximaTentativaEm: new Date(agora.getTime() + atrasoDeNovaTentativa(tentativas, baseMs)),
          })
          .where(eq(avisosEmail.id, aviso.id));
        falhas++;
      }
    }
    return { enviados, falhas };
  });
}

/** Runs the delivery at once (or after `primeiraEmMs`) and then every `intervaloMs`; a failed run is logged, never fatal. */
export function agendarEntregaDeAvisos(
  db: Database,
  transporte: TransporteEmail,
  { intervaloMs, primeiraEmMs, de, clock, logger }: Periodicidade & { de: string; clock: Clock; logger: Logger },
): Agendador {
  return agendarPeriodicamente(
    async () => {
      const { enviados, falhas } = await entregarAvisos(db, transporte, { agora: clock(), de, baseMs: intervaloMs });
      if (enviados > 0 || falhas > 0) logger.info({ enviados, falhas }, 'e-mail outbox: delivery run');
    },
    { intervaloMs, primeiraEmMs, logger, nome: 'e-mail outbox' },
  );
}
