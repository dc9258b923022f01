import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgSequence,
  primaryKey,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { estruturas } from '../orgaos/tables.js';

/** IDTs of trâmites started through this gateway (the demo data uses lower numbers). */
export const idtSequence = pgSequence('tramite_idt_seq', { startWith: 10_000_000 });

export const tipoTramitavel = pgEnum('tipo_tramitavel', ['PROCESSO', 'DOCUMENTO_AVULSO']);

/**
 * One sending of a process or standalone document from a remetente unit to a destinatário unit.
 * The agencies of both units are copied next to the units: filters by agency hit an index directly.
 * Timestamps are written from the application clock (millisecond precision), so cursors built on
 * them compare exactly.
 */
export const tramites = pgTable(
  'tramites',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    idt: bigint('idt', { mode: 'number' }).notNull().unique(),
    nre: char('nre', { length: 16 }).notNull(),
    numeroProcesso: text('numero_processo').notNull(),
    tipo: tipoTramitavel('tipo').notNull(),
    descricao: text('descricao'),
    remetenteUnidadeId: integer('remetente_unidade_id')
      .notNull()
      .references(() => estruturas.id),
    remetenteOrgaoId: integer('remetente_orgao_id')
      .notNull()
      .references(() => estruturas.id),
    destinatarioUnidadeId: integer('destinatario_unidade_id')
      .notNull()
      .references(() => estruturas.id),
    destinatarioOrgaoId: integer('destinatario_orgao_id')
      .notNull()
      .references(() => estruturas.id),
    situacao: smallint('situacao').notNull(),
    versao: integer('versao').notNull().default(1),
    criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
    atualizadoEm: timestamp('atualizado_em', { withTimezone: true }).notNull(),
    situacaoAlteradaEm: timestamp('situacao_alterada_em', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('tramites_situacao_ck', sql`${t.situacao} between 1 and 10`),
    check('tramites_nre_ck', sql`${t.nre} ~ '^[0-9]{16}$'`),
    // The platform's rule 0044: one trâmite in progress per process (NRE). Final statuses: 6, 7, 9, 10.
    uniqueIndex('tramites_um_em_andamento_por_nre_uq')
      .on(t.nre)
      .where(sql`situacao not in (6, 7, 9, 10)`),
    index('tramites_nre_idx').on(t.nre),
    // A process's history (its identity and custody) is read by its number at every start.
    index('tramites_numero_processo_idx').on(t.numeroProcesso, t.criadoEm),
    index('tramites_remetente_orgao_idx').on(t.remetenteOrgaoId, t.situacao),
    index('tramites_destinatario_orgao_idx').on(t.destinatarioOrgaoId, t.situacao),
    index('tramites_remetente_unidade_idx').on(t.remetenteUnidadeId),
    index('tramites_destinatario_unidade_idx').on(t.destinatarioUnidadeId),
    index('tramites_situacao_alterada_idx').on(t.situacao, t.situacaoAlteradaEm),
    index('tramites_criado_em_idx').on(t.criadoEm),
  ],
);

/**
 * The trâmite event log: one row per status change, never updated. `seq` is global and increases
 * in commit order (writers take a short transaction-level lock before inserting), which is what
 * lets live feeds resume from a cursor without gaps.
 */
export const tramiteEventos = pgTable(
  'tramite_eventos',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tramiteId: bigint('tramite_id', { mode: 'number' })
      .notNull()
      .references(() => tramites.id),
    deSituacao: smallint('de_situacao'),
    paraSituacao: smallint('para_situacao').notNull(),
    atorSujeito: text('ator_sujeito').notNull(),
    atorOrgaoId: integer('ator_orgao_id').references(() => estruturas.id),
    atorLado: text('ator_lado').notNull(),
    /** A PEN administrator acted for this side (support, tests): recorded as such. */
    atorPenAdmin: boolean('ator_pen_admin').notNull().default(false),
    motivo: text('motivo'),
    justificativa: text('justificativa'),
    ocorridoEm: timestamp('ocorrido_em', { withTimezone: true }).notNull(),
  },
  (t) => [index('tramite_eventos_tramite_idx').on(t.tramiteId, t.seq)],
);

/**
 * Idempotency keys of mutations: the same key from the same subject returns the first successful
 * result instead of acting twice. Written in the transaction that acts, so a key is either bound
 * to a committed result or absent.
 */
export const idempotencia = pgTable(
  'idempotencia',
  {
    sujeito: text('sujeito').notNull(),
    chave: text('chave').notNull(),
    operacao: text('operacao').notNull(),
    resultado: jsonb('resultado').$type<{ tramiteId: number; eventoSeq: number }>().notNull(),
    criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sujeito, t.chave] })],
);
