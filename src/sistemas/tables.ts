import { index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { estruturas } from '../orgaos/tables.js';

/**
 * The agencies' electronic process systems (SPEs, docs/domain.md §5): "MGI – SEI" is system SEI as MGI runs it. The
 * Gestor Tecnológico hosts it: "Interno" (the agency itself) or a company, which may host one SPE for several agencies.
 * `codigo` is what an SPE's token names in its `spe` claim.
 */
export const sistemas = pgTable('sistemas', {
  id: serial('id').primaryKey(),
  codigo: text('codigo').notNull().unique(),
  nome: text('nome').notNull(),
  sistema: text('sistema').notNull(),
  versao: text('versao'),
  gestorTecnologico: text('gestor_tecnologico').notNull(),
  criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
});

/** Which agencies an SPE serves ("Vincular Sistemas"): an agency may have several SPEs, an SPE several agencies. */
export const sistemaOrgaos = pgTable(
  'sistema_orgaos',
  {
    sistemaId: integer('sistema_id')
      .notNull()
      .references(() => sistemas.id),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
  },
  (t) => [primaryKey({ columns: [t.sistemaId, t.orgaoId] }), index('sistema_orgaos_orgao_idx').on(t.orgaoId)],
);
