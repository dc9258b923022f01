import {
  type AnyPgColumn,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { AMBIENTES } from '../kernel/ambiente.js';

/**
 * The environment a row belongs to (src/kernel/ambiente.ts): a unit's configuration here, trâmites in tramites/,
 * onboarding checklists in onboarding/.
 */
export const ambiente = pgEnum('ambiente', AMBIENTES);

/** A "repositório de estruturas": where an agency's organisational structure comes from (SIORG, AGU...). */
export const repositorios = pgTable('repositorios', {
  id: integer('id').primaryKey(),
  nome: text('nome').notNull(),
  ativo: boolean('ativo').notNull().default(true),
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
    /** False once inactivated (e.g. after a SIORG change): still findable, marked, never a new trâmite's side. */
    ativo: boolean('ativo').notNull().default(true),
    criadaEm: timestamp('criada_em', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The search text, accent- and case-folded once when written (migration `estruturas`: `tramita_texto_busca`), so the
     * trigram index's recheck and the ranking read a column instead of calling unaccent() per row and per sort key.
     */
    textoBusca: text('texto_busca').generatedAlwaysAs(sql`tramita_texto_busca(sigla || ' ' || nome)`),
    siglaBusca: text('sigla_busca').generatedAlwaysAs(sql`tramita_texto_busca(sigla)`),
  },
  (t) => [
    uniqueIndex('estruturas_repositorio_numero_uq').on(t.repositorioId, t.numeroIdentificacao),
    index('estruturas_pai_idx').on(t.paiId),
    index('estruturas_orgao_idx').on(t.orgaoId),
    // Structure search (orgaos/consultas.ts): the GIN trigram index over the accent- and case-folded sigla and name
    // answers the words' LIKE filters; the C-collated btree serves sigla prefixes (ranges in byte order) and the
    // sigla order the search's candidates are taken in.
    index('estruturas_busca_trgm_idx').using('gin', sql`${t.textoBusca} gin_trgm_ops`),
    index('estruturas_sigla_busca_idx').on(sql`(${t.siglaBusca} collate "C")`, t.id),
  ],
);

/**
 * A unit's configuration in one environment (docs/domain.md §6: homologação and produção keep their own): its
 * operation mode, whether it is centralising, and the centralising unit (same agency) that receives what is sent to
 * it. No row: not enabled, not centralising, receives itself. Production access copies homologação's rows into
 * produção (onboarding/configuracao.ts), a starting point the agency confirms.
 */
export const configuracoesUnidade = pgTable(
  'configuracoes_unidade',
  {
    estruturaId: integer('estrutura_id')
      .notNull()
      .references(() => estruturas.id),
    ambiente: ambiente('ambiente').notNull(),
    habilitadaEnvio: boolean('habilitada_envio').notNull().default(false),
    habilitadaRecebimento: boolean('habilitada_recebimento').notNull().default(false),
    centralizadora: boolean('centralizadora').notNull().default(false),
    /** The centralising unit (same agency, same environment) that receives for this one; null: it receives itself. */
    centralizadoraId: integer('centralizadora_id').references(() => estruturas.id),
  },
  (t) => [
    primaryKey({ columns: [t.estruturaId, t.ambiente] }),
    // The units a centralising unit receives for, in one environment (unidadesCentralizadas, unmarking it).
    index('configuracoes_unidade_centralizadora_idx').on(t.centralizadoraId, t.ambiente).where(sql`centralizadora_id is not null`),
    // The units of an environment that may send / receive: the search's and the tree's "habilitadas" filters when
    // they are the selective side of the join.
    index('configuracoes_unidade_envio_idx').on(t.ambiente, t.estruturaId).where(sql`habilitada_envio`),
    index('configuracoes_unidade_recebimento_idx').on(t.ambiente, t.estruturaId).where(sql`habilitada_recebimento`),
  ],
);

/**
 * The structure-configuration log: one row per change a gestor de protocolo makes to a unit (operation mode,
 * centralising role, the units a centralising unit receives for), with who and when. Never updated.
 */
export const estruturaEventos = pgTable(
  'estrutura_eventos',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    estruturaId: integer('estrutura_id')
      .notNull()
      .references(() => estruturas.id),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    /** The environment whose configuration changed; null for a unit's registration, which is both's tree. */
    ambiente: ambiente('ambiente'),
    tipo: text('tipo').notNull(),
    /** The unit's configuration before and after: `{ antes, depois }`. */
    alteracao: jsonb('alteracao').$type<{ antes: Record<string, unknown>; depois: Record<string, unknown> }>().notNull(),
    atorSujeito: text('ator_sujeito').notNull(),
    ocorridoEm: timestamp('ocorrido_em', { withTimezone: true }).notNull(),
  },
  (t) => [index('estrutura_eventos_orgao_idx').on(t.orgaoId, t.seq), index('estrutura_eventos_estrutura_idx').on(t.estruturaId, t.seq)],
);
