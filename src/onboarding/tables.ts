import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { estruturas } from '../orgaos/tables.js';
import { ambiente, tramites } from '../tramites/tables.js';
import { ETAPAS } from './regras.js';

export const etapaOnboarding = pgEnum('etapa_onboarding', ETAPAS);
export const tipoRequisito = pgEnum('tipo_requisito', [
  'TRAMITE_ENVIADO_COM_SUCESSO',
  'TRAMITE_RECEBIDO_COM_SUCESSO',
  'RECUSA_COMO_DESTINATARIO',
  'CONFIGURACAO',
]);
export const situacaoRequisito = pgEnum('situacao_requisito', ['REGISTRADO', 'CONFIRMADO', 'ATENDIDO_AUTOMATICAMENTE']);

/**
 * The minimum requirements ("requisitos mínimos") as data: the list has changed over time
 * (three trâmite tests today; six configuration items until February 2025), so a change is a row,
 * not a release. `exigido` items gate validation.
 */
export const requisitosMinimos = pgTable('requisitos_minimos', {
  codigo: text('codigo').primaryKey(),
  ordem: smallint('ordem').notNull(),
  descricao: text('descricao').notNull(),
  tipo: tipoRequisito('tipo').notNull(),
  exigido: boolean('exigido').notNull().default(true),
});

/** Where one agency stands on its path to production. */
export const onboardings = pgTable(
  'onboardings',
  {
    orgaoId: integer('orgao_id')
      .primaryKey()
      .references(() => estruturas.id),
    etapa: etapaOnboarding('etapa').notNull(),
    versao: integer('versao').notNull().default(1),
    iniciadoEm: timestamp('iniciado_em', { withTimezone: true }).notNull(),
    atualizadoEm: timestamp('atualizado_em', { withTimezone: true }).notNull(),
    /** "Data de implantação": when PEN validated the agency in production. */
    implantadoEm: timestamp('implantado_em', { withTimezone: true }),
  },
  (t) => [index('onboardings_etapa_idx').on(t.etapa)],
);

/** A requirement's state per agency and environment; no row means pending. */
export const requisitosOrgao = pgTable(
  'requisitos_orgao',
  {
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    ambiente: ambiente('ambiente').notNull(),
    codigo: text('codigo')
      .notNull()
      .references(() => requisitosMinimos.codigo),
    situacao: situacaoRequisito('situacao').notNull(),
    evidenciaTramiteId: bigint('evidencia_tramite_id', { mode: 'number' }).references(() => tramites.id),
    nota: text('nota'),
    registradoPor: text('registrado_por').notNull(),
    registradoEm: timestamp('registrado_em', { withTimezone: true }).notNull(),
    confirmadoPor: text('confirmado_por'),
    confirmadoEm: timestamp('confirmado_em', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orgaoId, t.ambiente, t.codigo] })],
);

/** The onboarding event log: stage moves and checklist changes; same ordering rule as the trâmite log. */
export const onboardingEventos = pgTable(
  'onboarding_eventos',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    tipo: text('tipo').notNull(),
    deEtapa: etapaOnboarding('de_etapa'),
    paraEtapa: etapaOnboarding('para_etapa').notNull(),
    ambiente: ambiente('ambiente'),
    requisito: text('requisito'),
    situacaoRequisito: text('situacao_requisito'),
    evidenciaTramiteId: bigint('evidencia_tramite_id', { mode: 'number' }),
    atorSujeito: text('ator_sujeito').notNull(),
    motivo: text('motivo'),
    ocorridoEm: timestamp('ocorrido_em', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('onboarding_eventos_orgao_idx').on(t.orgaoId, t.seq),
    check('onboarding_eventos_tipo_ck', sql`${t.tipo} in ('ETAPA', 'REQUISITO')`),
  ],
);
