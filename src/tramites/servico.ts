/**
 * Moving a trâmite: each step is one transaction that checks the rules (regras.ts), updates the
 * trâmite by compare-and-set on its version, appends the event and notifies, then commits.
 * No GraphQL here. The service is built once, at composition (src/http/servicos.ts), with the work
 * other domains run in every step's transaction; the mutations, tests and benches all go through it.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { linhasDe } from '../db/linhas.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import { type Viewer, isPenAdmin } from '../kernel/viewer.js';
import { configuracaoDaLinha, configuracoesDasUnidades } from '../orgaos/configuracoes.js';
import { podeEnviar, unidadeReceptora } from '../orgaos/regras.js';
import { estruturas } from '../orgaos/tables.js';
import { canReadTramite } from './acesso.js';
import { historicoDoProcesso } from './consultas.js';
import {
  AcaoNaoPermitida,
  ChaveIdempotenciaReutilizada,
  ConflitoConcorrencia,
  NreInconsistente,
  PapelSemPermissao,
  ProcessoEmAndamento,
  ProcessoNaoDetido,
  TramiteNaoEncontrado,
  TransicaoInvalida,
  UnidadeNaoHabilitada,
} from './erros.js';
import { DadosInvalidos, validar } from '../kernel/erros.js';
import { eventoReciboEmitido, moverRegistrando, registrarEventos, type Evento, type Transaction } from './eventos.js';
import {
  JUSTIFICATIVA_RECUSA_MAX,
  MOTIVOS_RECUSA,
  PASSO_POR_ACAO,
  autorizarPasso,
  decidirInicio,
  estadoDoProcesso,
  passosAPartirDe,
  type Acao,
  type Autorizacao,
  type LadoAtor,
  type MotivoRecusa,
  type Situacao,
} from './regras.js';
import { IDT_SEQUENCIA, idempotencia, recibosDeConclusao, tramites } from './tables.js';
import type { ComponentStore } from './componentes.js';
import type { AssinadorDeRecibos } from './recibos.js';
import {
  aproveitarComponentesDoProcesso,
  componentesDoEnvio,
  passarA2SeCompleto,
  receberComponente,
  registrarConteudo,
  validarConteudo,
  type PedidoComponente,
  type ResultadoComponente,
} from './envio.js';
import { verificarReciboDeConclusao, type ChaveDoSpeDestinatario, type ReciboAssinado } from './conclusao.js';
import { conferirHashes, mensagemHashDivergente, textoOpcional, type HashCalculado } from './conteudo.js';

export type TramiteRow = typeof tramites.$inferSelect;

export interface ResultadoPasso {
  tramite: TramiteRow;
  evento: Evento;
  /** True when an idempotency key replayed an earlier result: nothing was done this time. */
  repetida: boolean;
}

export interface Expectativa {
  situacao?: Situacao | null;
  versao?: number | null;
}

/**
 * Work another domain does in the same transaction as a step (e.g. onboarding checks a trâmite
 * test): it commits or rolls back with the step.
 */
/**
 * Whether both agencies may exchange trâmites in the environment (another domain decides: onboarding); throws
 * `OrgaoNaoAdmitidoNoAmbiente` naming the first that may not. Runs in the start's transaction.
 */
export type AdmissaoNoAmbiente = (tx: Transaction, ambiente: Ambiente, orgaoIds: readonly number[]) => Promise<void>;

export type EfeitoDePasso = (tx: Transaction, tramite: TramiteRow, mudanca: Pick<Evento, 'paraSituacao' | 'ocorridoEm'>) => Promise<void>;

export interface PedidoPasso {
  /** Status 1 → 2 is the platform's, on the last upload (`receberComponente`): no step takes it. */
  acao: Exclude<Acao, 'INICIAR' | 'ENVIAR_COMPONENTES_DIGITAIS' | 'CANCELAR_AUTOMATICAMENTE'>;
  tramiteId: number;
  viewer: Viewer;
  agora: Date;
  esperado?: Expectativa;
  chaveIdempotencia?: string | null;
  motivo?: MotivoRecusa | null;
  justificativa?: string | null;
  /**
   * 3 → 4 (`confirmarRecebimento` only): the recipient's computed hashes, compared with the declared components on the
   * step's own read; one that differs makes the step the refusal with motive 02.
   */
  hashes?: readonly HashCalculado[];
  /** 4 → 5: the recipient's signed recibo de conclusão (required). */
  recibo?: ReciboAssinado | null;
}

export interface PedidoInicio {
  viewer: Viewer;
  agora: Date;
  /** The world the trâmite lives in: both sides must be admitted there, and its process is looked up there only. */
  ambiente: Ambiente;
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO';
  numeroProcesso: string;
  /**
   * The NRE the SPE stored for the process, if any: checked against the process, never trusted (the
   * platform recovers the process's NRE itself, or issues a new one).
   */
  nre?: string | null;
  descricao?: string | null;
  unidadeRemetenteId: number;
  unidadeDestinatariaId: number;
  chaveIdempotencia?: string | null;
  /** The process metadata (§4.1); validated with `processoSchema`. */
  processo: unknown;
  /** The documents with their digital components (§4.2, at least one with one component); validated with `documentosSchema`. */
  documentos: unknown;
  /** Components already held from earlier trâmites of the NRE count as sent (§4.5). */
  enviarApenasComponentesDigitaisPendentes?: boolean | null;
}

/** The actor columns of an event: an agency's person or system for its side, or PEN staff as the platform. */
export function atorDoPasso(viewer: Viewer, autorizado: { lado: LadoAtor; porAdministradorPen: boolean }) {
  return {
    atorSujeito: viewer.sujeito,
    atorLado: autorizado.lado,
    atorPenAdmin: autorizado.porAdministradorPen,
    atorOrgaoId: autorizado.porAdministradorPen ? null : viewer.orgaoId,
  };
}

/** A step refused by the role rules (regras.ts `autorizarPasso`), as the business error it answers. */
export function recusaDePapel(autorizacao: Exclude<Autorizacao, { ok: true }>, acao: Acao): AcaoNaoPermitida | PapelSemPermissao {
  return autorizacao.motivo === 'LADO'
    ? new AcaoNaoPermitida(autorizacao.ladoExigido, autorizacao.lados)
    : new PapelSemPermissao(acao, autorizacao.papeisExigidos);
}

const chaveIdempotenciaSchema = z.string().min(8, 'de 8 a 200 caracteres').max(200, 'de 8 a 200 caracteres').nullish();

const pedidoPassoSchema = z
  .object({
    justificativa: textoOpcional(JUSTIFICATIVA_RECUSA_MAX),
    motivo: z.enum(Object.keys(MOTIVOS_RECUSA) as [MotivoRecusa, ...MotivoRecusa[]]).nullish(),
    chaveIdempotencia: chaveIdempotenciaSchema,
  })
  .loose();

const pedidoInicioSchema = z
  .object({
    numeroProcesso: z.string().trim().min(1, 'obrigatório').max(50, 'no máximo 50 caracteres'),
    descricao: textoOpcional(100),
    nre: z
      .string()
      .regex(/^\d{16}$/, 'o NRE tem 16 dígitos')
      .nullish(),
    chaveIdempotencia: chaveIdempotenciaSchema,
  })
  .loose()
  .refine((p) => p.unidadeRemetenteId !== p.unidadeDestinatariaId, {
    path: ['unidadeDestinataria'],
    message: 'deve ser outra unidade que a remetente',
  });

export interface ServicoTramites {
  /** One step on an existing trâmite (status 2 to 9). */
  executarPasso(pedido: PedidoPasso): Promise<ResultadoPasso>;
  /** Starts a trâmite (status 1). */
  iniciarTramite(pedido: PedidoInicio): Promise<ResultadoPasso>;
  /** Stores one uploaded digital component; the last missing one moves the trâmite to 2 (the platform). */
  receberComponente(pedido: PedidoComponente): Promise<ResultadoComponente>;
  /**
   * The recipient's confirmation of every component with the SHA-256 it computed: 3 → 4 when all
   * match, otherwise the refusal with motive 02 naming the first component that differs (→ 8).
   */
  confirmarRecebimento(pedido: PedidoConfirmacao): Promise<ResultadoPasso>;
}

export interface PedidoConfirmacao extends Pick<PedidoPasso, 'tramiteId' | 'viewer' | 'agora' | 'esperado' | 'chaveIdempotencia'> {
  hashes: HashCalculado[];
}

export interface OpcoesServicoTramites {
  /** Work other domains run in every step's transaction. */
  efeitos: readonly EfeitoDePasso[];
  /** The gate of each start: both sides admitted in the trâmite's environment. */
  admissao: AdmissaoNoAmbiente;
  /** Where component bytes live. */
  store: ComponentStore;
  /** Maximum bytes per digital component (COMPONENT_MAX_BYTES). */
  limiteComponente: number;
  /** Signs the recibo de envio when the platform moves a trâmite to 2. */
  assinador: AssinadorDeRecibos;
  /** The recipient SPE's registered public key, that verifies its recibo de conclusão (4 → 5). */
  chaveDoDestinatario: ChaveDoSpeDestinatario;
}

export function criarServicoTramites(db: Database, opcoes: OpcoesServicoTramites): ServicoTramites {
  const { efeitos, store, assinador } = opcoes;
  return {
    executarPasso: (pedido) => executarPasso(db, pedido, opcoes),
    iniciarTramite: (pedido) => iniciarTramite(db, pedido, opcoes),
    receberComponente: (pedido) => receberComponente(db, store, assinador, efeitos, pedido),
    confirmarRecebimento: (pedido) => executarPasso(db, { ...pedido, acao: 'RECEBER_COMPONENTES_DIGITAIS' }, opcoes),
  };
}

/** The read each step starts with: the trâmite, with its declared components when the step compares or signs them. */
function lerParaPasso(tx: Transaction, acao: PedidoPasso['acao'], tramiteId: number) {
  // 3 → 4 compares the recipient's hashes (by document and component order), 4 → 5 verifies a receipt over them.
  if (acao === 'RECEBER_COMPONENTES_DIGITAIS' || acao === 'ENVIAR_RECIBO_CONCLUSAO')
    return tx.query.tramites.findFirst({
      where: { id: tramiteId },
      with: { componentes: { columns: { ordem: true, hash: true }, with: { documento: { columns: { ordem: true } } } } },
    });
  return tx
    .select()
    .from(tramites)
    .where(eq(tramites.id, tramiteId))
    .then(([t]) => (t ? { ...t, componentes: undefined } : undefined));
}

async function executarPasso(
  db: Database,
  pedido: PedidoPasso,
  { efeitos, chaveDoDestinatario }: Pick<OpcoesServicoTramites, 'efeitos' | 'chaveDoDestinatario'>,
): Promise<ResultadoPasso> {
  const recusa = pedido.acao === 'RECUSAR';
  // PEN_ADMIN cancels only on an agency's request: the request's reason is recorded with it.
  const cancelamentoPen = pedido.acao === 'CANCELAR' && isPenAdmin(pedido.viewer);
  let schema = pedidoPassoSchema;
  if (recusa) {
    schema = schema
      // `.required()` only drops the optional wrapper of a `.nullish()` field: null would still pass.
      .refine((p) => p.motivo != null, { path: ['motivo'], message: 'obrigatório na recusa' })
      .refine((p) => !!p.justificativa, { path: ['justificativa'], message: 'obrigatória na recusa' }) as unknown as typeof schema;
  }
  if (cancelamentoPen) {
    schema = schema.refine((p) => !!p.justificativa, {
      path: ['justificativa'],
      message: 'obrigatória quando a equipe PEN cancela: o motivo do pedido do órgão',
    }) as unknown as typeof schema;
  }
  const { justificativa, motivo } = validar(schema, pedido);

  return comIdempotencia(db, pedido.viewer, pedido.chaveIdempotencia, `${pedido.acao}:${pedido.tramiteId}`, async (tx) => {
    // 4 → 5 verifies against the recipient's registered key: looked up in the same round trip as the trâmite.
    const comRecibo = pedido.acao === 'ENVIAR_RECIBO_CONCLUSAO';
    const [lido, chave] = await Promise.all([
      lerParaPasso(tx, pedido.acao, pedido.tramiteId),
      comRecibo ? chaveDoDestinatario(tx, pedido.tramiteId) : null,
    ]);
    if (!lido) throw new TramiteNaoEncontrado();
    const { componentes, ...atual } = lido;
    const situacao = atual.situacao as Situacao;
    // Someone who is neither side learns nothing about the trâmite, not even that it exists (nor about its
    // components, not even through a validation message); nor does a destinatário that refused it (8, 9): after
    // a refusal only the remetente sees it (acesso.ts).
    if (!canReadTramite(pedido.viewer, atual)) throw new TramiteNaoEncontrado();
    // 3 → 4: a differing hash is the connection module's automatic refusal, motive 02 (docs/domain.md §4.3).
    const divergente =
      pedido.hashes &&
      conferirHashes(
        (componentes ?? []).map((c) => ({ ordemDocumento: c.documento.ordem, ordem: c.ordem, hash: c.hash })),
        pedido.hashes,
      ).divergente;
    const acao: PedidoPasso['acao'] = divergente ? 'RECUSAR' : pedido.acao;
    const passo = PASSO_POR_ACAO[acao];
    const motivoDoPasso = divergente ? '02' : recusa ? motivo : null;
    const justificativaDoPasso = divergente ? mensagemHashDivergente(divergente) : justificativa;
    if (
      (pedido.esperado?.situacao != null && pedido.esperado.situacao !== situacao) ||
      (pedido.esperado?.versao != null && pedido.esperado.versao !== atual.versao)
    ) {
      throw new ConflitoConcorrencia(situacao, atual.versao);
    }
    const autorizacao = autorizarPasso(pedido.viewer, passo, atual);
    if (!autorizacao.ok) throw recusaDePapel(autorizacao, acao);
    if (acao === 'RECEBER_COMPONENTES_DIGITAIS' && !pedido.hashes) {
      throw new DadosInvalidos([{ campo: 'hashes', mensagem: 'confirme os hashes calculados com confirmarRecebimentoDeComponentes' }]);
    }
    if (!passo.de.includes(situacao)) {
      const possiveis = passosAPartirDe(situacao).filter((p) => autorizarPasso(pedido.viewer, p, atual).ok);
      throw new TransicaoInvalida(
        situacao,
        acao,
        possiveis.map((p) => p.acao),
      );
    }

    // 4 → 5 carries the recipient's signed receipt, verified before anything is written.
    const recibo = comRecibo
      ? verificarReciboDeConclusao(
          atual,
          (componentes ?? []).map((c) => c.hash),
          pedido.recibo ?? {},
          chave,
          pedido.agora,
        )
      : null;
    // Compare-and-set: of two concurrent steps on one trâmite, the second finds another version. The event (and the
    // receipt) are written by the same statement: when the update finds another version, the error below rolls them
    // back. A receipt already stored can only be a concurrent 4 → 5's that committed first, so the update found
    // another version too: the insert then does nothing rather than fail, and the conflict is reported.
    const atorDoEvento = atorDoPasso(pedido.viewer, autorizacao);
    const movido = await moverRegistrando(
      tx,
      atual,
      passo.para,
      pedido.agora,
      [
        {
          tramiteId: atual.id,
          deSituacao: situacao,
          paraSituacao: passo.para,
          ...atorDoEvento,
          motivo: motivoDoPasso,
          justificativa: justificativaDoPasso,
          ocorridoEm: pedido.agora,
        },
        // The recibo de conclusão the recipient signed, issued with the move to 5 it caused.
        ...(comRecibo ? [eventoReciboEmitido({ id: atual.id, situacao: passo.para }, 'CONCLUSAO', atorDoEvento, pedido.agora)] : []),
      ],
      recibo
        ? tx
            .$with('recibo')
            .as(tx.insert(recibosDeConclusao).values(recibo).onConflictDoNothing().returning({ id: recibosDeConclusao.tramiteId }))
        : undefined,
    );
    if (!movido) {
      const [agora] = await tx
        .select({ situacao: tramites.situacao, versao: tramites.versao })
        .from(tramites)
        .where(eq(tramites.id, atual.id));
      throw new ConflitoConcorrencia(agora!.situacao as Situacao, agora!.versao);
    }
    const {
      tramite: atualizado,
      eventos: [evento],
    } = movido;
    if (recibo && movido.acompanhantes !== 1) throw new Error(`trâmite ${atual.id}: moved to 5 with a recibo de conclusão already stored`);
    // The other domains' work in this step (onboarding's check).
    for (const efeito of efeitos) await efeito(tx, atualizado, { paraSituacao: passo.para, ocorridoEm: pedido.agora });
    return { tramite: atualizado, evento: evento!, repetida: false };
  });
}

/** The remetente's side, between units enabled to send and to receive. */
async function iniciarTramite(db: Database, pedido: PedidoInicio, opcoes: OpcoesServicoTramites): Promise<ResultadoPasso> {
  const { numeroProcesso, descricao } = validar(pedidoInicioSchema, pedido);
  const conteudo = validarConteudo(pedido.processo, pedido.documentos, opcoes.limiteComponente);
  // Everything the request asks for: a key reused with any other value is another operation.
  const operacao = `INICIAR:${JSON.stringify([pedido.ambiente, pedido.unidadeRemetenteId, pedido.unidadeDestinatariaId, pedido.tipo, numeroProcesso, pedido.nre ?? null, descricao, conteudo, !!pedido.enviarApenasComponentesDigitaisPendentes])}`;

  return comIdempotencia(db, pedido.viewer, pedido.chaveIdempotencia, operacao, async (tx) => {
    // The two units, each with its configuration in the trâmite's environment and the destination's centralising
    // unit as it is there (docs/domain.md §6, §7.2).
    const unidades = await tx
      .select()
      .from(estruturas)
      .where(inArray(estruturas.id, [pedido.unidadeRemetenteId, pedido.unidadeDestinatariaId]));
    const remetente = unidades.find((u) => u.id === pedido.unidadeRemetenteId);
    const destinataria = unidades.find((u) => u.id === pedido.unidadeDestinatariaId);
    if (!remetente) throw new DadosInvalidos([{ campo: 'unidadeRemetente', mensagem: 'unidade não encontrada' }]);
    if (!destinataria) throw new DadosInvalidos([{ campo: 'unidadeDestinataria', mensagem: 'unidade não encontrada' }]);
    const configuracoes = await configuracoesDasUnidades(tx, pedido.ambiente, [remetente.id, destinataria.id]);
    const remetenteOrgaoId = remetente.orgaoId ?? remetente.id;
    const destinatarioOrgaoId = destinataria.orgaoId ?? destinataria.id;
    const autorizacao = autorizarPasso(pedido.viewer, PASSO_POR_ACAO.INICIAR, { remetenteOrgaoId, destinatarioOrgaoId });
    if (!autorizacao.ok) throw recusaDePapel(autorizacao, 'INICIAR');
    // Both sides in the trâmite's environment: a trâmite across environments cannot exist.
    await opcoes.admissao(tx, pedido.ambiente, [remetenteOrgaoId, destinatarioOrgaoId]);
    if (!podeEnviar({ ...remetente, ...configuracaoDaLinha(configuracoes.get(remetente.id)) }))
      throw new UnidadeNaoHabilitada(remetente.sigla, 'ENVIO');
    const configDestino = configuracoes.get(destinataria.id);
    const centralizadora = configDestino?.daCentralizadora?.id === destinataria.id ? null : (configDestino?.daCentralizadora ?? null);
    const recepcao = unidadeReceptora({ ...destinataria, ...configuracaoDaLinha(configDestino) }, centralizadora);
    if (!recepcao) throw new UnidadeNaoHabilitada(destinataria.sigla, 'RECEBIMENTO');

    const nre =
      (await decidirNre(tx, pedido.ambiente, pedido.tipo, numeroProcesso, remetenteOrgaoId, pedido.nre ?? null)) ?? (await novoNre(tx));
    const [{ idt }] = linhasDe(await tx.execute(sql`select nextval(${IDT_SEQUENCIA[pedido.ambiente]}) as idt`)) as [
      { idt: string | number },
    ];
    let inserido: TramiteRow | undefined;
    try {
      // A savepoint: the unique violation below must not poison the surrounding transaction.
      inserido = await tx.transaction(async (sp) => {
        const [row] = await sp
          .insert(tramites)
          .values({
            idt: Number(idt),
            ambiente: pedido.ambiente,
            nre,
            numeroProcesso,
            tipo: pedido.tipo,
            descricao,
            remetenteUnidadeId: remetente.id,
            remetenteOrgaoId,
            destinatarioUnidadeId: destinataria.id,
            destinatarioOrgaoId,
            unidadeReceptoraId: recepcao.centralizada ? recepcao.receptora.id : null,
            situacao: 1,
            versao: 1,
            criadoEm: pedido.agora,
            atualizadoEm: pedido.agora,
            situacaoAlteradaEm: pedido.agora,
          })
          .returning();
        return row;
      });
    } catch (error) {
      if (violouUmEmAndamentoPorNre(error)) throw new ProcessoEmAndamento(nre);
      throw error;
    }
    await registrarConteudo(tx, inserido!, conteudo.processo, conteudo.documentos);
    const [evento] = await registrarEventos(tx, [
      {
        tramiteId: inserido!.id,
        deSituacao: null,
        paraSituacao: 1,
        ...atorDoPasso(pedido.viewer, autorizacao),
        ocorridoEm: pedido.agora,
      },
    ]);
    if (pedido.enviarApenasComponentesDigitaisPendentes) {
      await aproveitarComponentesDoProcesso(tx, inserido!, pedido.agora);
      const componentes = await componentesDoEnvio(tx, inserido!.id);
      // Everything already held: the platform moves it to 2 at once.
      const completo = await passarA2SeCompleto(tx, inserido!, componentes, pedido.agora, opcoes.assinador, opcoes.efeitos);
      if (completo) return { tramite: completo.tramite, evento: evento!, repetida: false };
    }
    return { tramite: inserido!, evento: evento!, repetida: false };
  });
}

/**
 * The platform's side of a start (regras.ts `decidirInicio`): the process's trâmites are read under a
 * lock on its number, so of two concurrent starts of one process the second sees the first. Returns
 * the NRE to reuse, or null for a new one.
 */
async function decidirNre(
  tx: Transaction,
  ambiente: Ambiente,
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO',
  numeroProcesso: string,
  remetenteOrgaoId: number,
  nreInformado: string | null,
): Promise<string | null> {
  let historico: TramiteRow[] = [];
  if (tipo === 'PROCESSO') {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.processoPorNumero}, hashtext(${numeroProcesso}))`);
    historico = await historicoDoProcesso(tx, ambiente, numeroProcesso);
  }
  const decisao = decidirInicio(
    tipo,
    estadoDoProcesso(historico),
    remetenteOrgaoId,
    nreInformado,
    nreInformado != null && historico.some((t) => t.nre === nreInformado),
  );
  if (decisao.ok) return decisao.nre;
  if (decisao.motivo === 'NRE_DE_OUTRO_PROCESSO') throw new NreInconsistente(nreInformado!, numeroProcesso);
  if (decisao.motivo === 'NAO_DETENTOR') throw new ProcessoNaoDetido(numeroProcesso, decisao.detentor.orgaoId);
  throw new ProcessoEmAndamento(decisao.nre);
}

/**
 * A new random 16-digit NRE for a process that never travelled; drawn again on the rare collision. Unique across both
 * environments (the check reads every trâmite), and random, so an NRE reveals nothing about the other world.
 */
async function novoNre(tx: Transaction): Promise<string> {
  for (let tentativa = 0; tentativa < 5; tentativa++) {
    const candidato = String(Math.floor(1e15 + Math.random() * 9e15)).padStart(16, '0');
    const [existe] = await tx.select({ id: tramites.id }).from(tramites).where(eq(tramites.nre, candidato)).limit(1);
    if (!existe) return candidato;
  }
  throw new Error('could not issue a new NRE after 5 attempts');
}

/** The unique index that keeps one open trâmite per NRE (tables.ts). */
const UM_EM_ANDAMENTO_POR_NRE = 'tramites_um_em_andamento_por_nre_uq';

function violouUmEmAndamentoPorNre(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    // The SQLSTATE and the constraint's name, never the message text: PGlite names it `constraint`, postgres.js `constraint_name`.
    const candidate = e as { code?: string; constraint?: string; constraint_name?: string };
    if (candidate.code === '23505' && (candidate.constraint ?? candidate.constraint_name) === UM_EM_ANDAMENTO_POR_NRE) return true;
  }
  return false;
}

/**
 * Runs `acao` in a transaction, bound to an idempotency key when one is given: the key is claimed
 * first (a concurrent twin waits on it), and a key already bound returns its first result.
 * Only successes bind a key: a refused step rolls back, key and all, and may be retried.
 */
async function comIdempotencia(
  db: Database,
  viewer: Viewer,
  chave: string | null | undefined,
  operacao: string,
  acao: (tx: Transaction) => Promise<ResultadoPasso>,
): Promise<ResultadoPasso> {
  if (!chave) return db.transaction(acao);
  const anterior = await resultadoAnterior(db, viewer, chave, operacao);
  if (anterior) return anterior;
  try {
    return await db.transaction(async (tx) => {
      const resultado = await acao(tx);
      await tx.insert(idempotencia).values({
        sujeito: viewer.sujeito,
        chave,
        operacao,
        resultado: { tramiteId: resultado.tramite.id, eventoSeq: resultado.evento.seq },
        criadoEm: resultado.evento.ocorridoEm,
      });
      return resultado;
    });
  } catch (error) {
    // A concurrent request with the same key committed first: answer with its result.
    const vencedor = await resultadoAnterior(db, viewer, chave, operacao);
    if (vencedor) return vencedor;
    throw error;
  }
}

async function resultadoAnterior(db: Database, viewer: Viewer, chave: string, operacao: string): Promise<ResultadoPasso | null> {
  const registro = await db.query.idempotencia.findFirst({ where: { sujeito: viewer.sujeito, chave } });
  if (!registro) return null;
  if (registro.operacao !== operacao) throw new ChaveIdempotenciaReutilizada();
  const tramite = await db.query.tramites.findFirst({ where: { id: registro.resultado.tramiteId } });
  // A replay answers with the trâmite as it is now, so it follows the read rule of now.
  if (!tramite || !canReadTramite(viewer, tramite)) throw new TramiteNaoEncontrado();
  const evento = await db.query.tramiteEventos.findFirst({ where: { seq: registro.resultado.eventoSeq } });
  return { tramite, evento: evento!, repetida: true };
}
