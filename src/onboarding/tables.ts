import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { estruturas } from '../orgaos/tables.js';
import { sistemas } from '../sistemas/tables.js';
import { ambiente } from '../orgaos/tables.js';
import { conteudos, tramites } from '../tramites/tables.js';
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
    /** When the agency recorded that its production tests began (the PEN team's follow-up starts). */
    testesIniciadosEm: timestamp('testes_iniciados_em', { withTimezone: true }),
    /**
     * When the agency confirmed its produção configuration (replicated from homologação at production access):
     * the gate of SOLICITAR_VALIDACAO_PRODUCAO.
     */
    producaoConfirmadaEm: timestamp('producao_confirmada_em', { withTimezone: true }),
    producaoConfirmadaPor: text('producao_confirmada_por'),
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
    /** GESTOR_REGISTRADO / GESTOR_REMOVIDO: whose CPF. */
    gestorCpf: char('gestor_cpf', { length: 11 }),
    atorSujeito: text('ator_sujeito').notNull(),
    motivo: text('motivo'),
    ocorridoEm: timestamp('ocorrido_em', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('onboarding_eventos_orgao_idx').on(t.orgaoId, t.seq),
    check(
      'onboarding_eventos_tipo_ck',
      sql`${t.tipo} in ('ETAPA', 'REQUISITO', 'TESTES_INICIADOS', 'GESTOR_REGISTRADO', 'GESTOR_REMOVIDO', 'CONFIGURACAO_CONFIRMADA')`,
    ),
  ],
);

/**
 * The outbox of e-mail notices (the institutional notice to the PEN team): written in the transaction
 * of the act that causes it, delivered later by a worker (avisos.ts) that claims rows with FOR UPDATE
 * SKIP LOCKED, so each notice is sent by one instance, retried with backoff, never lost. `messageId`
 * is fixed at creation: a retry after a lost acknowledgement carries the same Message-ID.
 */
export const avisosEmail = pgTable(
  'avisos_email',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    tipo: text('tipo').notNull(),
    para: text('para').notNull(),
    assunto: text('assunto').notNull(),
    corpo: text('corpo').notNull(),
    messageId: text('message_id').notNull().unique(),
    criadoEm: timestamp('criado_em', { withTimezone: true }).notNull(),
    tentativas: integer('tentativas').notNull().default(0),
    proximaTentativaEm: timestamp('proxima_tentativa_em', { withTimezone: true }).notNull(),
    ultimoErro: text('ultimo_erro'),
    enviadoEm: timestamp('enviado_em', { withTimezone: true }),
  },
  (t) => [
    index('avisos_email_pendentes_idx').on(t.proximaTentativaEm).where(sql`enviado_em is null`),
    index('avisos_email_orgao_idx').on(t.orgaoId, t.id),
  ],
);

/**
 * A new SPE as an access request describes it. Requests made before the SPE entity hold only `nome` (their
 * "Sistema de Governo" text) and `gestorTecnologico`.
 */
export interface SistemaDescrito {
  codigo?: string;
  nome: string;
  sistema?: string;
  versao?: string | null;
  gestorTecnologico: string;
}

export const situacaoSolicitacao = pgEnum('situacao_solicitacao', ['EM_ANALISE', 'APROVADA', 'REJEITADA']);

/**
 * An access request's content (MTO "Solicitação de Acesso"): the agency (a SIORG root chosen, or a body
 * of another repository registered by this request with its typed identification), the SPE and Gestor
 * Tecnológico named, the first gestor de protocolo, and the supporting PDF (bytes in the ComponentStore).
 * PEN's analysis closes it with the grounds of refusal (a list) and free text.
 */
export const solicitacoesAcesso = pgTable(
  'solicitacoes_acesso',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    situacao: situacaoSolicitacao('situacao').notNull(),
    /** Typed identification (bodies outside SIORG); null when a SIORG root was chosen. */
    uf: text('uf'),
    cnpj: char('cnpj', { length: 14 }),
    endereco: text('endereco'),
    cep: char('cep', { length: 8 }),
    /** The SPE ("Sistema de Governo") chosen from `sistemas`, or (a new one) the one the approval created and linked. */
    sistemaId: integer('sistema_id').references(() => sistemas.id),
    /** A new SPE as the request describes it (with its Gestor Tecnológico); created in `sistemas` on approval. */
    sistemaNovo: jsonb('sistema_novo').$type<SistemaDescrito>(),
    gestorNome: text('gestor_nome').notNull(),
    gestorCpf: char('gestor_cpf', { length: 11 }).notNull(),
    gestorEmail: text('gestor_email').notNull(),
    documentoConteudoId: bigint('documento_conteudo_id', { mode: 'number' })
      .notNull()
      .references(() => conteudos.id),
    documentoNome: text('documento_nome').notNull(),
    solicitadoPor: text('solicitado_por').notNull(),
    solicitadoEm: timestamp('solicitado_em', { withTimezone: true }).notNull(),
    motivosRecusa: text('motivos_recusa').array(),
    analisadoPor: text('analisado_por'),
    analisadoEm: timestamp('analisado_em', { withTimezone: true }),
  },
  (t) => [
    index('solicitacoes_acesso_orgao_idx').on(t.orgaoId, t.id),
    // One open request per agency; one registration per CNPJ.
    uniqueIndex('solicitacoes_acesso_aberta_uq').on(t.orgaoId).where(sql`situacao = 'EM_ANALISE'`),
    uniqueIndex('solicitacoes_acesso_cnpj_uq').on(t.cnpj).where(sql`cnpj is not null and situacao <> 'REJEITADA'`),
  ],
);

/**
 * The public key of an agency's SPE per environment (the key of its platform certificate, Portal ADM
 * "Gerar Certificado"): the recipient's recibo de conclusão is verified against it. Registering again
 * rotates it; receipts keep a copy of the key they were verified with (`recibos_de_conclusao`).
 */
export const chavesPublicasSpe = pgTable(
  'chaves_publicas_spe',
  {
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    ambiente: ambiente('ambiente').notNull(),
    /** SPKI PEM, whatever form (PEM or JWK) it was registered in. */
    pem: text('pem').notNull(),
    /** RFC 7638 JWK thumbprint (SHA-256, base64url): the key's id. */
    chaveId: text('chave_id').notNull(),
    bits: integer('bits').notNull(),
    registradaEm: timestamp('registrada_em', { withTimezone: true }).notNull(),
    registradaPor: text('registrada_por').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgaoId, t.ambiente] })],
);

/**
 * The automatic test counterparts of homologação (contrapartes.ts): agencies operated by the gateway itself, as the PEN
 * team's four test SEIs are (`sei.orgao1…4.tramita.processoeletronico.gov.br`). Each row names the agency (a root of
 * the counterparts' repositório) and the unit it sends from and receives at. They trade only in homologação.
 */
export const contrapartesTeste = pgTable('contrapartes_teste', {
  orgaoId: integer('orgao_id')
    .primaryKey()
    .references(() => estruturas.id),
  /** 1 to 4: "Órgão de Teste N". */
  numero: smallint('numero').notNull().unique(),
  unidadeId: integer('unidade_id')
    .notNull()
    .references(() => estruturas.id),
  criadaEm: timestamp('criada_em', { withTimezone: true }).notNull(),
});

/**
 * The counterparts' signing key, generated once per deployment (when TEST_COUNTERPART_SIGNING_KEY is not set) and kept
 * here so every instance signs with the same key; its public half is registered as each counterpart's SPE key.
 * Homologação only: it signs nothing of produção.
 */
export const contrapartesChave = pgTable('contrapartes_chave', {
  ambiente: ambiente('ambiente').primaryKey(),
  /** PKCS#8 PEM. */
  privadaPem: text('privada_pem').notNull(),
  criadaEm: timestamp('criada_em', { withTimezone: true }).notNull(),
});

/**
 * What an agency's gestor asked a counterpart to do with the agency's next trâmite to it: refuse it (motive 99 with the
 * justificativa). The worker takes the oldest pending one when that trâmite arrives and records which one it was.
 */
export const contrapartesPedidos = pgTable(
  'contrapartes_pedidos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    contraparteOrgaoId: integer('contraparte_orgao_id')
      .notNull()
      .references(() => estruturas.id),
    justificativa: text('justificativa').notNull(),
    pedidoPor: text('pedido_por').notNull(),
    pedidoEm: timestamp('pedido_em', { withTimezone: true }).notNull(),
    atendidoEm: timestamp('atendido_em', { withTimezone: true }),
    tramiteId: bigint('tramite_id', { mode: 'number' }).references(() => tramites.id),
  },
  (t) => [index('contrapartes_pedidos_pendentes_idx').on(t.orgaoId, t.contraparteOrgaoId).where(sql`atendido_em is null`)],
);

/**
 * The agency's gestores de protocolo per environment (Portal PROT "Gestores"; docs/domain.md §5, §6: gestores exist
 * per environment and never cross): the first comes from the approved access request, the others are registered by
 * a gestor of the agency. A removal deletes the row; the onboarding log keeps who registered and removed whom, when.
 */
export const gestoresProtocolo = pgTable(
  'gestores_protocolo',
  {
    orgaoId: integer('orgao_id')
      .notNull()
      .references(() => estruturas.id),
    ambiente: ambiente('ambiente').notNull(),
    cpf: char('cpf', { length: 11 }).notNull(),
    nome: text('nome').notNull(),
    email: text('email').notNull(),
    registradoPor: text('registrado_por').notNull(),
    registradoEm: timestamp('registrado_em', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgaoId, t.ambiente, t.cpf] })],
);
