import { type AnyPgColumn, boolean, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A "repositório de estruturas": where an agency's organisational structure comes from (SIORG, AGU...). */
export const repositorios = pgTable('repositorios', {
  id: integer('id').primaryKey(),
  nome: text('nome').notNull(),
});

/**
 * An "estrutura organizacional": an agency (root, `paiId` null) or one of its administrative units.
 * `orgaoId` points at the root of the tree (itself for a root), so "everything of agency X" is one
 * indexed equality instead of a recursive walk.
 */
export const estruturas = pgTable(
  'estruturas',
  {
    id: serial('id').primaryKey(),
    repositorioId: integer('repositorio_id')
      .notNull()
      .references(() => repositorios.id),
    numeroIdentificacao: integer('numero_identificacao').notNull(),
    sigla: text('sigla').notNull(),
    nome: text('nome').notNull(),
    paiId: integer('pai_id').references((): AnyPgColumn => estruturas.id),
    orgaoId: integer('orgao_id').references((): AnyPgColumn => estruturas.id),
    habilitadaEnvio: boolean('habilitada_envio').notNull().default(false),
    habilitadaRecebimento: boolean('habilitada_recebimento').notNull().default(false),
    centralizadora: boolean('centralizadora').notNull().default(false),
    criadaEm: timestamp('criada_em', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('estruturas_repositorio_numero_uq').on(t.repositorioId, t.numeroIdentificacao),
    index('estruturas_pai_idx').on(t.paiId),
    index('estruturas_orgao_idx').on(t.orgaoId),
  ],
);
