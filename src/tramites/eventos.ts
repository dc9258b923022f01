import { anexarAoLog, type EventLog, type Transaction } from '../db/log.js';
import { tramiteEventos, type tipoEventoTramite, type tipoRecibo } from './tables.js';

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
