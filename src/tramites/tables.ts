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
  bytea,
  date,
} from 'drizzle-orm/pg-core';
import type { Ambiente } from '../kernel/ambiente.js';
import { ambiente, estruturas } from '../orgaos/tables.js';
import { situacoesPendentesDe } from './regras.js';

/**
 * IDTs are issued per environment, each from its own sequence (`IDT_SEQUENCIA`): counting in one world says nothing
 * about the other, and the ranges are disjoint, so an IDT names one trâmite in one world. Production's sequence is the
 * one that existed before environments (the demo data uses lower numbers).
 */
export const idtSequence = pgSequence('tramite_idt_seq', { startWith: 10_000_000 });
export const idtHomologacaoSequence = pgSequence('tramite_idt_homologacao_seq', { startWith: 900_000_000_000 });
export const IDT_SEQUENCIA: Record<Ambiente, string> = { PRODUCAO: 'tramite_idt_seq', HOMOLOGACAO: 'tramite_idt_homologacao_seq' };

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
    /** The world the trâmite lives in; both sides, its process, events and receipts are in the same one. */
    ambiente: ambiente('ambiente').notNull(),
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
    /**
     * The unit that receives on the destination's behalf: its centralising unit when the destination has one at the start
     * (docs/domain.md §7.2, `unidadeReceptora`); null when the destination receives itself.
     */
    unidadeReceptoraId: integer('unidade_receptora_id').references(() => estruturas.id),
    situacao: smallint('situacao').notNull(),
    versao: integer('versao').notNull().default(1),
    criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
    atualizadoEm: timestamp('atualizado_em', { withTimezone: true }).notNull(),
    situacaoAlteradaEm: timestamp('situacao_alterada_em', { withTimezone: true }).notNull(),
    /**
     * The agency whose side must act now (regras.ts: remetente at 1, 5, 8; destinatário at 2-4), null when final:
     * computed by PostgreSQL from the status, so a `pendencias` page is one ordered index range, not a sort.
     */
    orgaoPendenteId: integer('orgao_pendente_id').generatedAlwaysAs(
      sql.raw(
        `case when situacao in (${situacoesPendentesDe('REMETENTE').join(', ')}) then remetente_orgao_id ` +
          `when situacao in (${situacoesPendentesDe('DESTINATARIO').join(', ')}) then destinatario_orgao_id end`,
      ),
    ),
  },
  (t) => [
    check('tramites_situacao_ck', sql`${t.situacao} between 1 and 10`),
    check('tramites_nre_ck', sql`${t.nre} ~ '^[0-9]{16}$'`),
    // The platform's rule 0044: one trâmite in progress per process (NRE). Final statuses: 6, 7, 9, 10.
    uniqueIndex('tramites_um_em_andamento_por_nre_uq').on(t.nre).where(sql`situacao not in (6, 7, 9, 10)`),
    index('tramites_nre_idx').on(t.nre),
    // A process's history (its identity and custody) is read by its number at every start.
    index('tramites_numero_processo_idx').on(t.numeroProcesso, t.ambiente, t.criadoEm),
    index('tramites_remetente_orgao_idx').on(t.remetenteOrgaoId, t.situacao),
    index('tramites_destinatario_orgao_idx').on(t.destinatarioOrgaoId, t.situacao),
    index('tramites_remetente_unidade_idx').on(t.remetenteUnidadeId),
    index('tramites_destinatario_unidade_idx').on(t.destinatarioUnidadeId),
    index('tramites_unidade_receptora_idx').on(t.unidadeReceptoraId).where(sql`unidade_receptora_id is not null`),
    index('tramites_situacao_alterada_idx').on(t.situacao, t.situacaoAlteradaEm),
    index('tramites_criado_em_idx').on(t.criadoEm),
    // A panel period's partial days at its ends (contagens.ts), one side of one agency: an index-only range of that day.
    index('tramites_remetente_orgao_criado_idx').on(t.remetenteOrgaoId, t.ambiente, t.criadoEm, t.situacao),
    index('tramites_destinatario_orgao_criado_idx').on(t.destinatarioOrgaoId, t.ambiente, t.criadoEm, t.situacao),
    // An agency's pendências in one environment: one ordered range whatever the values, so one generic plan serves
    // every agency and environment (the environment in the key: a filter after it read the other one's rows too).
    index('tramites_pendencias_idx')
      .on(t.orgaoPendenteId, t.ambiente, t.situacaoAlteradaEm, t.id)
      .where(sql`orgao_pendente_id is not null`),
    index('tramites_pendencias_plataforma_idx').on(t.situacaoAlteradaEm, t.id).where(sql`orgao_pendente_id is not null`),
  ],
);

/**
 * Kinds of trâmite events (regras.ts `TIPOS_DE_EVENTO`): a status change, a digital component received by the
 * platform, a receipt issued. Only SITUACAO events are the status history.
 */
export const tipoEventoTramite = pgEnum('tipo_evento_tramite', ['SITUACAO', 'COMPONENTE_RECEBIDO', 'RECIBO_EMITIDO']);
/** Which receipt a RECIBO_EMITIDO event is: the platform's recibo de envio (2) or the recipient's recibo de conclusão (5). */
export const tipoRecibo = pgEnum('tipo_recibo', ['ENVIO', 'CONCLUSAO']);

/**
 * The trâmite event log: one row per status change, component received or receipt issued, never updated. `seq` is
 * global; writers take no lock, and readers deliver it in order only up to the seq below which every writer has
 * finished (db/log.ts), which is what lets live feeds resume from a cursor without gaps. An event of another kind than
 * SITUACAO changes no status: `de_situacao` = `para_situacao`, the status the trâmite was in.
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
    tipo: tipoEventoTramite('tipo').notNull().default('SITUACAO'),
    /** The component a COMPONENTE_RECEBIDO event is about. */
    componenteId: bigint('componente_id', { mode: 'number' }).references(() => tramiteComponentes.id),
    /** The receipt a RECIBO_EMITIDO event is about. */
    recibo: tipoRecibo('recibo'),
  },
  (t) => [
    index('tramite_eventos_tramite_idx').on(t.tramiteId, t.seq),
    check('tramite_eventos_componente_ck', sql`(${t.tipo} = 'COMPONENTE_RECEBIDO') = (${t.componenteId} is not null)`),
    check('tramite_eventos_recibo_ck', sql`(${t.tipo} = 'RECIBO_EMITIDO') = (${t.recibo} is not null)`),
    check('tramite_eventos_sem_mudanca_ck', sql`${t.tipo} = 'SITUACAO' or ${t.deSituacao} = ${t.paraSituacao}`),
  ],
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

// ---- what a trâmite carries (docs/domain.md §4.1, §4.2, §7.3) ---------------------------------

/** Espécies documentais (`GET especies`): reference data seeded by migration. */
export const especiesDocumentais = pgTable('especies_documentais', {
  codigo: integer('codigo').primaryKey(),
  nome: text('nome').notNull(),
});

/** Hipóteses legais of restricted information (`GET hipoteses`): reference data seeded by migration. */
export const hipotesesLegais = pgTable('hipoteses_legais', {
  id: integer('id').primaryKey(),
  nome: text('nome').notNull(),
  baseLegal: text('base_legal').notNull(),
  ativa: boolean('ativa').notNull().default(true),
});

/** Motivos de urgência (`GET motivosUrgencia`), numbered by position as the connection module does. */
export const motivosUrgencia = pgTable('motivos_urgencia', {
  codigo: integer('codigo').primaryKey(),
  descricao: text('descricao').notNull(),
});

/** The process metadata sent with a trâmite (one row per trâmite started with metadata). */
export const tramiteProcessos = pgTable(
  'tramite_processos',
  {
    tramiteId: bigint('tramite_id', { mode: 'number' })
      .primaryKey()
      .references(() => tramites.id),
    nivelDeSigilo: smallint('nivel_de_sigilo').notNull(),
    hipoteseLegalId: integer('hipotese_legal_id').references(() => hipotesesLegais.id),
    processoDeNegocio: text('processo_de_negocio'),
    produtor: text('produtor'),
    interessados: jsonb('interessados').$type<string[]>().notNull(),
    dataHoraDeProducao: timestamp('data_hora_de_producao', { withTimezone: true }),
    urgente: boolean('urgente').notNull().default(false),
    motivoUrgenciaCodigo: integer('motivo_urgencia_codigo').references(() => motivosUrgencia.codigo),
  },
  (t) => [check('tramite_processos_sigilo_ck', sql`${t.nivelDeSigilo} in (1, 2)`)],
);

/** The documents of a trâmite, in order (from 1). */
export const tramiteDocumentos = pgTable(
  'tramite_documentos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tramiteId: bigint('tramite_id', { mode: 'number' })
      .notNull()
      .references(() => tramites.id),
    ordem: integer('ordem').notNull(),
    especieCodigo: integer('especie_codigo')
      .notNull()
      .references(() => especiesDocumentais.codigo),
    descricao: text('descricao'),
    nivelDeSigilo: smallint('nivel_de_sigilo').notNull(),
    hipoteseLegalId: integer('hipotese_legal_id').references(() => hipotesesLegais.id),
    produtor: text('produtor'),
    dataHoraDeProducao: timestamp('data_hora_de_producao', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tramite_documentos_ordem_uq').on(t.tramiteId, t.ordem)],
);

/**
 * Bytes the platform holds, once per content (SHA-256 in base64 and size): a component points at
 * one after a verified upload. Chunks live in `conteudo_blocos` (see componentes.ts).
 */
export const conteudos = pgTable(
  'conteudos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hash: text('hash').notNull(),
    tamanho: bigint('tamanho', { mode: 'number' }).notNull(),
    criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('conteudos_hash_tamanho_uq').on(t.hash, t.tamanho)],
);

/** The chunks of one content, numbered from 0. */
export const conteudoBlocos = pgTable(
  'conteudo_blocos',
  {
    conteudoId: bigint('conteudo_id', { mode: 'number' })
      .notNull()
      .references(() => conteudos.id, { onDelete: 'cascade' }),
    n: integer('n').notNull(),
    dados: bytea('dados').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conteudoId, t.n] })],
);

/** The digital components of a document, as declared by the sender; `conteudoId` once the bytes are in. */
export const tramiteComponentes = pgTable(
  'tramite_componentes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tramiteId: bigint('tramite_id', { mode: 'number' })
      .notNull()
      .references(() => tramites.id),
    documentoId: bigint('documento_id', { mode: 'number' })
      .notNull()
      .references(() => tramiteDocumentos.id),
    ordem: integer('ordem').notNull(),
    nome: text('nome').notNull(),
    hash: text('hash').notNull(),
    tamanho: bigint('tamanho', { mode: 'number' }).notNull(),
    mimeType: text('mime_type').notNull(),
    tipoDeConteudo: text('tipo_de_conteudo').notNull(),
    conteudoId: bigint('conteudo_id', { mode: 'number' }).references(() => conteudos.id),
    enviadoEm: timestamp('enviado_em', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tramite_componentes_ordem_uq').on(t.documentoId, t.ordem),
    index('tramite_componentes_tramite_idx').on(t.tramiteId),
    check('tramite_componentes_tamanho_ck', sql`${t.tamanho} >= 0`),
  ],
);

/** The recibo de envio the platform signed when the trâmite reached 2 (compact JWS, see recibos.ts). */
export const recibosDeEnvio = pgTable('recibos_de_envio', {
  tramiteId: bigint('tramite_id', { mode: 'number' })
    .primaryKey()
    .references(() => tramites.id),
  jws: text('jws').notNull(),
  emitidoEm: timestamp('emitido_em', { withTimezone: true }).notNull(),
});

/**
 * The recibo de conclusão the recipient's SPE signed (4 → 5), verified on arrival: the text the gateway
 * rebuilt, the signature, and a copy of the key that verified it (so it stays verifiable after a rotation).
 */
export const recibosDeConclusao = pgTable('recibos_de_conclusao', {
  tramiteId: bigint('tramite_id', { mode: 'number' })
    .primaryKey()
    .references(() => tramites.id),
  dataDeRecebimento: timestamp('data_de_recebimento', { withTimezone: true }).notNull(),
  textoAssinado: text('texto_assinado').notNull(),
  /** RSA-SHA256 signature of `textoAssinado`, base64 (the platform's `hashDaAssinatura`). */
  hashDaAssinatura: text('hash_da_assinatura').notNull(),
  chavePublicaPem: text('chave_publica_pem').notNull(),
  chaveId: text('chave_id').notNull(),
  recebidoEm: timestamp('recebido_em', { withTimezone: true }).notNull(),
});

/**
 * Stuck alerts ("alertas de trâmites parados"): one row each time a pending trâmite crosses a configured threshold
 * in its status, written once whichever instance scans first (the unique key), and read as a log by the live feed.
 */
export const tramiteAlertas = pgTable(
  'tramite_alertas',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tramiteId: bigint('tramite_id', { mode: 'number' })
      .notNull()
      .references(() => tramites.id),
    limiarMinutos: integer('limiar_minutos').notNull(),
    situacao: smallint('situacao').notNull(),
    /** The status's start: the alert holds while the trâmite is still in it since this instant. */
    situacaoAlteradaEm: timestamp('situacao_alterada_em', { withTimezone: true }).notNull(),
    /** The agency whose side must act (orgao_pendente_id at the scan). */
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    emitidoEm: timestamp('emitido_em', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('tramite_alertas_uq').on(t.tramiteId, t.situacaoAlteradaEm, t.limiarMinutos),
    index('tramite_alertas_limiar_idx').on(t.limiarMinutos, t.situacaoAlteradaEm),
  ],
);

/**
 * Counts of trâmites per (ambiente, escala of the period bucket, lado, agency, bucket start, status), so `painel` and
 * `totalCount` sum a few rows instead of counting trâmites (contagens.ts). Buckets are by creation instant (the panel's
 * period), in UTC: `A` a calendar year, `M` a month, `D` a day; `lado` `O` the agency as remetente, `D` as destinatário without the
 * refused (8, 9), `Q` either, as the agency itself sees them (each trâmite once). Maintained by statement-level triggers on
 * `tramites` (every writer: steps, starts, the automatic cancellation, seeds), folded in at COMMIT (migration
 * `contagens_no_commit`: no counter lock held across the transaction); the migration
 * `contagens` defines them and backfills from the existing rows.
 */
export const tramiteContagens = pgTable(
  'tramite_contagens',
  {
    ambiente: ambiente('ambiente').notNull(),
    escala: char('escala', { length: 1 }).notNull(),
    lado: char('lado', { length: 1 }).notNull(),
    orgaoId: integer('orgao_id').notNull(),
    inicio: date('inicio', { mode: 'string' }).notNull(),
    situacao: smallint('situacao').notNull(),
    quantidade: bigint('quantidade', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ambiente, t.escala, t.lado, t.orgaoId, t.inicio, t.situacao] })],
);
