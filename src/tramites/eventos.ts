import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { WithSubquery } from 'drizzle-orm';
import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import { tramiteEventos, tramites, type tipoEventoTramite, type tipoRecibo } from './tables.js';

export type { Transaction };
export type NovoEvento = typeof tramiteEventos.$inferInsert;
export type Evento = typeof tramiteEventos.$inferSelect;
/** SITUACAO (a status change), COMPONENTE_RECEBIDO, RECIBO_EMITIDO: README "Event kinds". */
export type TipoEvento = (typeof tipoEventoTramite.enumValues)[number];
export type TipoRecibo = (typeof tipoRecibo.enumValues)[number];

export const LOG_TRAMITES: EventLog = {
  tabela: tramiteEventos,
  seq: tramiteEventos.seq,
  canal: 'tramite_eventos',
};

/** Appends events to the trâmite event log, in commit order, and announces them. */
export function registrarEventos(tx: Transaction, eventos: NovoEvento[]): Promise<Evento[]> {
  if (eventos.length === 0) return Promise.resolve([]);
  return anexarAoLog(() => tx.insert(tramiteEventos).values(eventos).returning());
}

/** The row an appended event became: its values with the table's defaults, and the seq it took. */
function comoGravado(evento: NovoEvento, seq: number): Evento {
  return {
    deSituacao: null,
    atorOrgaoId: null,
    atorPenAdmin: false,
    motivo: null,
    justificativa: null,
    tipo: 'SITUACAO',
    componenteId: null,
    recibo: null,
    ...evento,
    seq,
  } as Evento;
}

/**
 * A step's write as one statement: the trâmite moved to `para` by compare-and-set on `versao`, its events appended
 * (one append, one notification; seqs in the order given) and, with `acompanhante`, one more data-modifying CTE (a
 * receipt stored) whose rows are counted. Undefined when the trâmite is at another version: the caller throws, and
 * its transaction rolls the events and the receipt back. Every sub-statement sees the same snapshot, and the log's
 * triggers run as for a lone insert (the transaction id taken before the seqs).
 */
export async function moverRegistrando(
  tx: Transaction,
  atual: { id: number; versao: number },
  para: number,
  agora: Date,
  eventos: readonly NovoEvento[],
  acompanhante?: WithSubquery,
): Promise<{ tramite: typeof tramites.$inferSelect; eventos: Evento[]; acompanhantes: number } | undefined> {
  const registro = tx.$with('registro').as(
    tx
      .insert(tramiteEventos)
      .values([...eventos])
      .returning({ seq: tramiteEventos.seq }),
  );
  const [linha] = await tx
    .with(registro, ...(acompanhante ? [acompanhante] : []))
    .update(tramites)
    .set({ situacao: para, versao: atual.versao + 1, atualizadoEm: agora, situacaoAlteradaEm: agora })
    .where(and(eq(tramites.id, atual.id), eq(tramites.versao, atual.versao)))
    .returning({
      ...getTableColumns(tramites),
      seqs: sql<string>`(select string_agg(seq::text, ',' order by seq) from registro)`,
      acompanhantes: acompanhante
        ? sql`(select count(*) from ${sql.identifier(acompanhante._.alias)})`.mapWith(Number)
        : sql`0`.mapWith(Number),
    });
  if (!linha) return undefined;
  const { seqs, acompanhantes, ...tramite } = linha;
  const seqsEmOrdem = seqs.split(',').map(Number);
  return { tramite, eventos: eventos.map((evento, i) => comoGravado(evento, seqsEmOrdem[i]!)), acompanhantes };
}

type Ator = Pick<NovoEvento, 'atorSujeito' | 'atorLado' | 'atorPenAdmin' | 'atorOrgaoId'>;

/** An act that moves no status: the event keeps the trâmite's status on both ends. */
function eventoSemMudanca(
  tramite: { id: number; situacao: number },
  proprio: Pick<NovoEvento, 'tipo' | 'componenteId' | 'recibo'>,
  ator: Ator,
  ocorridoEm: Date,
): NovoEvento {
  return { tramiteId: tramite.id, ...proprio, deSituacao: tramite.situacao, paraSituacao: tramite.situacao, ...ator, ocorridoEm };
}

/** A digital component's bytes reached the platform (the sender's upload, at 1): no status change. */
export function eventoComponenteRecebido(
  tramite: { id: number; situacao: number },
  componenteId: number,
  ator: Ator,
  ocorridoEm: Date,
): NovoEvento {
  return eventoSemMudanca(tramite, { tipo: 'COMPONENTE_RECEBIDO', componenteId }, ator, ocorridoEm);
}

/** A receipt was issued: the platform's recibo de envio (at 2), or the recipient's recibo de conclusão (at 5). */
export function eventoReciboEmitido(
  tramite: { id: number; situacao: number },
  recibo: TipoRecibo,
  ator: Ator,
  ocorridoEm: Date,
): NovoEvento {
  return eventoSemMudanca(tramite, { tipo: 'RECIBO_EMITIDO', recibo }, ator, ocorridoEm);
}
