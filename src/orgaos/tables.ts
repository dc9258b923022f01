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
    /** The folded sigla (migration `estruturas`: `tramita_texto_busca`): the search's sigla prefixes and order. */
    siglaBusca: text('sigla_busca').generatedAlwaysAs(sql`tramita_texto_busca(sigla)`),
  },
  (t) => [
    uniqueIndex('estruturas_repositorio_numero_uq').on(t.repositorioId, t.numeroIdentificacao),
    index('estruturas_pai_idx').on(t.paiId),
    index('estruturas_orgao_idx').on(t.orgaoId),
    // Structure search (orgaos/consultas.ts): the C-collated btree serves sigla prefixes (ranges in byte order) and the
    // sigla order of a search without words; the words are `estruturaPalavras`.
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

/**
 * The structure search's words: one row per distinct word of a unit's folded sigla and name (`tramita_palavras`), with
 * the unit's folded sigla and its words as one text, so a search word is a prefix range of one btree read in (word,
 * sigla) order, the other words checked on the entry itself (an index-only scan): a page reads the matches it ranks
 * and stops. Written only by triggers on `estruturas` (migration `estrutura_palavras`), in the statement that inserts a
 * unit or changes its sigla or name (SIORG import, cadastrarUnidade, a rename): never stale.
 */
export const estruturaPalavras = pgTable(
  'estrutura_palavras',
  {
    estruturaId: integer('estrutura_id')
      .notNull()
      .references(() => estruturas.id, { onDelete: 'cascade' }),
    palavra: text('palavra').notNull(),
    /** The unit's folded sigla (`estruturas.sigla_busca`): the order among the units sharing a word. */
    sigla: text('sigla').notNull(),
    /** The unit's words, each between blanks (" cgti mgi coordenacao geral de ti "): what the other search words match. */
    texto: text('texto').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.estruturaId, t.palavra] }),
    index('estrutura_palavras_prefixo_idx').on(sql`(${t.palavra} collate "C")`, sql`(${t.sigla} collate "C")`, t.estruturaId, t.texto),
  ],
);
