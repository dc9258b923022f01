/**
 * Homologação's automatic test counterparts: what the PEN team's four test SEIs (`sei.orgao1…4.tramita.processoeletronico.gov.br`,
 * docs/domain.md §6) do today, built in. "Órgão de Teste 1…4" are agencies operated by the gateway itself, each with its
 * own SPE and a key the gateway holds. A worker acts for them through the SAME commands an SPE uses (tramites/servico.ts,
 * envio.ts, conclusao.ts): it receives what an agency sends them (2 → 3, downloads every component from the
 * ComponentStore and recomputes its SHA-256 → 4, or the module's refusal 02; signs the recibo de conclusão over the
 * rebuilt text → 5), acknowledges what it sent (5 → 6, 8 → 9) and, on the agency's gestor's request, sends it a test
 * process or refuses (99) the next one it receives. So an agency completes requirements (a), (b) and (c) on its own.
 *
 * They never exist in produção: the start gate refuses them there (`recusarContrapartesForaDeHomologacao`), the worker
 * reads homologação only, and their key signs nothing else. Their acts are recorded with the platform's actor prefix
 * (`ATOR_CONTRAPARTE_TESTE`), so the history shows them as the platform's.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { Transaction } from '../db/log.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { DadosInvalidos, validar } from '../kernel/erros.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import { ATOR_CONTRAPARTE_TESTE } from '../kernel/platform.js';
import type { Viewer } from '../kernel/viewer.js';
import { configuracoesUnidade, estruturas, repositorios } from '../orgaos/tables.js';
import { sistemaOrgaos, sistemas } from '../sistemas/tables.js';
import type { ComponentStore } from '../tramites/componentes.js';
import { textoDoReciboDeConclusao } from '../tramites/conclusao.js';
import { JUSTIFICATIVA_RECUSA_MAX } from '../tramites/regras.js';
import type { ResultadoPasso, ServicoTramites, TramiteRow } from '../tramites/servico.js';
import { tramiteComponentes, tramiteDocumentos, tramites } from '../tramites/tables.js';
import { validarChavePublica } from './chaves-spe.js';
import { ContraparteNaoEncontrada, ContraparteSomenteEmHomologacao, PapelNaoPermitido } from './erros.js';
import { podeAgir } from './regras.js';
import { chavesPublicasSpe, contrapartesChave, contrapartesPedidos, contrapartesTeste } from './tables.js';

/** The only environment the counterparts trade in. */
const AMBIENTE: Ambiente = 'HOMOLOGACAO';

/**
 * Their repositório: homologação's own structures, outside the production ids 1–14 (the connection module's docs use
 * homologação repository 5 "RE CGPRO", a number production gives to Ministério Público, so a separate id here).
 */
export const REPOSITORIO_CONTRAPARTES = { id: 1001, nome: 'Órgãos de Teste do Tramita.GOV.BR (homologação)' } as const;

/** The four counterparts as data: agency N is number N in their repositório, its protocol unit N·100 + 1. */
export const CONTRAPARTES = [1, 2, 3, 4].map((numero) => ({
  numero,
  sigla: `ORGAO${numero}`,
  nome: `Órgão de Teste ${numero}`,
  numeroIdentificacao: numero,
  unidade: { numeroIdentificacao: numero * 100 + 1, sigla: `PROTOCOLO-ORGAO${numero}`, nome: `Protocolo do Órgão de Teste ${numero}` },
  /** Its SPE, as the platform's test SEIs are named. */
  sistema: `sei.orgao${numero}.tramita.processoeletronico.gov.br`,
}));

export interface Contraparte {
  numero: number;
  sigla: string;
  nome: string;
  orgaoId: number;
  unidadeId: number;
  sistema: string;
}

/** What acting needs: the counterparts' rows and the private key they sign with. */
interface Preparadas {
  contrapartes: Contraparte[];
  chavePrivada: KeyObject;
}

export type PedidoRecusaRow = typeof contrapartesPedidos.$inferSelect;

/** The viewer a counterpart acts as: its SPE, for its agency, with the platform's actor prefix. */
export function viewerDaContraparte(c: Contraparte): Viewer {
  return {
    sujeito: `${ATOR_CONTRAPARTE_TESTE}/${c.sigla}`,
    orgaoId: c.orgaoId,
    papeis: new Set(['SPE']),
    spe: { codigo: c.sistema, orgaoIds: [c.orgaoId] },
  };
}

/** A small real PDF (one page, its text naming the process), deterministic per process so the bytes can be re-sent. */
export function documentoDeTeste(numeroProcesso: string, sigla: string): Buffer {
  const texto = `Documento de teste ${numeroProcesso} enviado por ${sigla}`.replace(/[()\\]/g, '');
  const conteudo = `BT /F1 12 Tf 72 720 Td (${texto}) Tj ET`;
  const objetos = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(conteudo, 'latin1')} >>\nstream\n${conteudo}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const posicoes: number[] = [];
  objetos.forEach((o, i) => {
    posicoes.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objetos.length + 1}\n0000000000 65535 f \n${posicoes.map((p) => `${String(p).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objetos.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The bytes as the upload command reads them: a stream of parts (here one). */
async function* umaParte(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/**
 * The start gate's part for the counterparts (wired beside onboarding's admission): a trâmite outside homologação with
 * a counterpart as a side is refused, coded as an agency not admitted in that environment.
 */
export async function recusarContrapartesForaDeHomologacao(
  tx: Transaction,
  ambiente: Ambiente,
  orgaoIds: readonly number[],
): Promise<void> {
  if (ambiente === AMBIENTE) return;
  const [contraparte] = await tx
    .select({ sigla: estruturas.sigla })
    .from(contrapartesTeste)
    .innerJoin(estruturas, eq(estruturas.id, contrapartesTeste.orgaoId))
    .where(inArray(contrapartesTeste.orgaoId, [...new Set(orgaoIds)]))
    .limit(1);
  if (contraparte) throw new ContraparteSomenteEmHomologacao(contraparte.sigla, ambiente);
}

/**
 * Creates what is missing of the counterparts (repositório, agencies and units enabled to send and receive, their SPEs,
 * the key pair and its public half as each one's SPE key in homologação), once, under an advisory lock: instances
 * starting together converge on the same rows and key. `chavePrivadaPem`: TEST_COUNTERPART_SIGNING_KEY, which then
 * replaces the stored key (a rotation re-registers the public half).
 */
export async function garantirContrapartes(
  db: Database,
  { agora, chavePrivadaPem }: { agora: Date; chavePrivadaPem: string | null },
): Promise<Preparadas> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.contrapartesTeste})`);
    await tx.insert(repositorios).values(REPOSITORIO_CONTRAPARTES).onConflictDoNothing();
    let [guardada] = await tx.select().from(contrapartesChave).where(eq(contrapartesChave.ambiente, AMBIENTE));
    const privadaPem =
      chavePrivadaPem ??
      guardada?.privadaPem ??
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (guardada?.privadaPem !== privadaPem) {
      [guardada] = await tx
        .insert(contrapartesChave)
        .values({ ambiente: AMBIENTE, privadaPem, criadaEm: agora })
        .onConflictDoUpdate({ target: contrapartesChave.ambiente, set: { privadaPem, criadaEm: agora } })
        .returning();
    }
    const chavePrivada = createPrivateKey(privadaPem);
    const publica = await validarChavePublica(createPublicKey(chavePrivada).export({ type: 'spki', format: 'pem' }).toString());

    const contrapartes: Contraparte[] = [];
    for (const def of CONTRAPARTES) {
      const raiz = await garantirEstrutura(
        tx,
        { numeroIdentificacao: def.numeroIdentificacao, sigla: def.sigla, nome: def.nome },
        null,
        agora,
      );
      const unidade = await garantirEstrutura(tx, def.unidade, raiz, agora);
      await tx
        .insert(contrapartesTeste)
        .values({ orgaoId: raiz, numero: def.numero, unidadeId: unidade, criadaEm: agora })
        .onConflictDoNothing();
      await tx
        .insert(sistemas)
        .values({
          codigo: def.sistema,
          nome: `${def.sigla} – SEI de teste`,
          sistema: 'SEI',
          gestorTecnologico: 'Tramita.GOV.BR',
          criadoEm: agora,
        })
        .onConflictDoNothing();
      const [sistema] = await tx.select({ id: sistemas.id }).from(sistemas).where(eq(sistemas.codigo, def.sistema));
      await tx.insert(sistemaOrgaos).values({ sistemaId: sistema!.id, orgaoId: raiz }).onConflictDoNothing();
      const chave = {
        pem: publica.pem,
        chaveId: publica.chaveId,
        bits: publica.bits,
        registradaEm: agora,
        registradaPor: ATOR_CONTRAPARTE_TESTE,
      };
      const [registrada] = await tx
        .select({ chaveId: chavesPublicasSpe.chaveId })
        .from(chavesPublicasSpe)
        .where(and(eq(chavesPublicasSpe.orgaoId, raiz), eq(chavesPublicasSpe.ambiente, AMBIENTE)));
      if (registrada?.chaveId !== publica.chaveId) {
        await tx
          .insert(chavesPublicasSpe)
          .values({ orgaoId: raiz, ambiente: AMBIENTE, ...chave })
          .onConflictDoUpdate({ target: [chavesPublicasSpe.orgaoId, chavesPublicasSpe.ambiente], set: chave });
      }
      contrapartes.push({ numero: def.numero, sigla: def.sigla, nome: def.nome, orgaoId: raiz, unidadeId: unidade, sistema: def.sistema });
    }
    return { contrapartes, chavePrivada };
  });
}

/** A root (paiId null) or a unit of `paiId`, in the counterparts' repositório; its id. */
async function garantirEstrutura(
  tx: Transaction,
  def: { numeroIdentificacao: number; sigla: string; nome: string },
  paiId: number | null,
  agora: Date,
): Promise<number> {
  const [existente] = await tx
    .select({ id: estruturas.id })
    .from(estruturas)
    .where(and(eq(estruturas.repositorioId, REPOSITORIO_CONTRAPARTES.id), eq(estruturas.numeroIdentificacao, def.numeroIdentificacao)));
  if (existente) return existente.id;
  const [nova] = await tx
    .insert(estruturas)
    .values({
      repositorioId: REPOSITORIO_CONTRAPARTES.id,
      ...def,
      paiId,
      orgaoId: paiId,
      criadaEm: agora,
    })
    .returning({ id: estruturas.id });
  if (paiId === null) await tx.update(estruturas).set({ orgaoId: nova!.id }).where(eq(estruturas.id, nova!.id));
  // The protocol unit sends and receives, in homologação only (the counterparts never exist in produção); the root
  // is the agency.
  else {
    await tx
      .insert(configuracoesUnidade)
      .values({ estruturaId: nova!.id, ambiente: 'HOMOLOGACAO', habilitadaEnvio: true, habilitadaRecebimento: true });
  }
  return nova!.id;
}

export interface OpcoesContrapartes {
  /** The trâmite commands, as every SPE gets them. */
  tramites: ServicoTramites;
  /** The same commands bound to a transaction: the worker acts on a trâmite while it holds its row. */
  tramitesNaTransacao: (tx: Transaction) => ServicoTramites;
  store: ComponentStore;
  /** TEST_COUNTERPART_SIGNING_KEY, or null: a key generated once per deployment and kept in the database. */
  chavePrivadaPem: string | null;
  /** Trâmites per worker run. */
  lote?: number;
}

export interface PedidoTramiteDeTeste {
  viewer: Viewer;
  agora: Date;
  /** The unit of the requesting agency that receives it. */
  unidadeDestinatariaId: number;
  /** Which counterpart sends (1–4; default 1). */
  contraparte?: number | null;
}

export interface PedidoRecusaDeTeste {
  viewer: Viewer;
  agora: Date;
  contraparte?: number | null;
  justificativa?: string | null;
}

export interface ServicoContrapartes {
  /** The counterparts (created on first use). */
  listar(agora: Date): Promise<Contraparte[]>;
  /** "Send me a test process": the counterpart starts a trâmite with a small PDF to a unit of the gestor's agency, and uploads it (→ 2). */
  enviarTramiteDeTeste(pedido: PedidoTramiteDeTeste): Promise<ResultadoPasso>;
  /** "Refuse my next one": the counterpart refuses (99) the next trâmite the gestor's agency sends it. */
  pedirRecusaDeTeste(pedido: PedidoRecusaDeTeste): Promise<PedidoRecusaRow>;
  /**
   * One worker run: acts on up to `lote` trâmites of the counterparts in homologação; how many it moved, and the ones
   * whose step failed (rolled back alone, retried next run, never blocking the others).
   */
  processar(agora: Date): Promise<{ movidos: number; falhas: Array<{ tramiteId: number; erro: unknown }> }>;
}

const JUSTIFICATIVA_PADRAO = 'Recusa de teste solicitada pelo órgão remetente (contraparte automática de homologação).';

const pedidoRecusaSchema = z
  .object({
    justificativa: z
      .string()
      .trim()
      .min(1, 'obrigatória')
      .max(JUSTIFICATIVA_RECUSA_MAX, `no máximo ${JUSTIFICATIVA_RECUSA_MAX} caracteres`)
      .nullish(),
  })
  .loose();

export function criarServicoContrapartes(db: Database, opcoes: OpcoesContrapartes): ServicoContrapartes {
  const lote = opcoes.lote ?? 20;
  let preparadas: Promise<Preparadas> | null = null;
  const preparar = (agora: Date) => {
    preparadas ??= garantirContrapartes(db, { agora, chavePrivadaPem: opcoes.chavePrivadaPem }).catch((erro: unknown) => {
      preparadas = null; // a failed first run (database down) is retried by the next call
      throw erro;
    });
    return preparadas;
  };
  const escolher = (p: Preparadas, numero: number | null | undefined) => {
    const c = p.contrapartes.find((x) => x.numero === (numero ?? 1));
    if (!c) throw new ContraparteNaoEncontrada(numero ?? 1);
    return c;
  };
  const gestorDoOrgao = (viewer: Viewer): number => {
    if (viewer.orgaoId == null || !podeAgir(viewer, 'ORGAO', viewer.orgaoId)) throw new PapelNaoPermitido('ORGAO');
    return viewer.orgaoId;
  };

  return {
    listar: async (agora) => (await preparar(agora)).contrapartes,

    async enviarTramiteDeTeste(pedido) {
      const orgaoId = gestorDoOrgao(pedido.viewer);
      const [unidade] = await db
        .select({ orgaoId: estruturas.orgaoId, sigla: estruturas.sigla })
        .from(estruturas)
        .where(eq(estruturas.id, pedido.unidadeDestinatariaId));
      if (!unidade || unidade.orgaoId !== orgaoId)
        throw new DadosInvalidos([{ campo: 'unidadeDestinataria', mensagem: 'deve ser uma unidade do seu órgão' }]);
      const c = escolher(await preparar(pedido.agora), pedido.contraparte);
      const viewer = viewerDaContraparte(c);
      const numeroProcesso =
        `TESTE-${c.sigla}-${pedido.agora.getTime().toString(36)}-${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
      const bytes = documentoDeTeste(numeroProcesso, c.sigla);
      const inicio = await opcoes.tramites.iniciarTramite({
        viewer,
        agora: pedido.agora,
        ambiente: AMBIENTE,
        tipo: 'PROCESSO',
        numeroProcesso,
        descricao: `TESTE – processo enviado pela contraparte ${c.sigla}`,
        unidadeRemetenteId: c.unidadeId,
        unidadeDestinatariaId: pedido.unidadeDestinatariaId,
        processo: { nivelDeSigilo: 1, processoDeNegocio: 'Teste de homologação', produtor: c.nome, interessados: [unidade.sigla] },
        documentos: [
          {
            ordem: 1,
            especie: 999,
            descricao: 'Documento de teste',
            nivelDeSigilo: 1,
            produtor: c.nome,
            componentes: [
              {
                ordem: 1,
                nome: 'documento-de-teste.pdf',
                hash: sha256(bytes),
                tamanhoEmBytes: bytes.byteLength,
                mimeType: 'application/pdf',
                tipoDeConteudo: 'out',
              },
            ],
          },
        ],
      });
      // The upload right away (→ 2); if it fails, the worker sends the same bytes again (the trâmite waits at 1). The
      // worker may already be doing so (it sees the trâmite at 1 as soon as the start commits): then its upload stands.
      try {
        const enviado = await opcoes.tramites.receberComponente({
          viewer,
          tramiteId: inicio.tramite.id,
          hash: sha256(bytes),
          mimeType: 'application/pdf',
          bytes: umaParte(bytes),
          agora: pedido.agora,
        });
        return { ...inicio, tramite: enviado.tramite };
      } catch (erro) {
        const [agora] = await db.select().from(tramites).where(eq(tramites.id, inicio.tramite.id));
        if (!agora || agora.situacao === 1) throw erro;
        return { ...inicio, tramite: agora };
      }
    },

    async pedirRecusaDeTeste(pedido) {
      const orgaoId = gestorDoOrgao(pedido.viewer);
      const { justificativa } = validar(pedidoRecusaSchema, pedido);
      const c = escolher(await preparar(pedido.agora), pedido.contraparte);
      const [linha] = await db
        .insert(contrapartesPedidos)
        .values({
          orgaoId,
          contraparteOrgaoId: c.orgaoId,
          justificativa: justificativa ?? JUSTIFICATIVA_PADRAO,
          pedidoPor: pedido.viewer.sujeito,
          pedidoEm: pedido.agora,
        })
        .returning();
      return linha!;
    },

    async processar(agora) {
      const p = await preparar(agora);
      const ids = p.contrapartes.map((c) => c.orgaoId);
      const candidatos = await db
        .select({ id: tramites.id })
        .from(tramites)
        .where(
          and(
            eq(tramites.ambiente, AMBIENTE),
            or(
              and(inArray(tramites.destinatarioOrgaoId, ids), inArray(tramites.situacao, [2, 3, 4])),
              and(inArray(tramites.remetenteOrgaoId, ids), inArray(tramites.situacao, [1, 5, 8])),
            ),
          ),
        )
        .orderBy(asc(tramites.situacaoAlteradaEm))
        .limit(lote);
      let movidos = 0;
      const falhas: Array<{ tramiteId: number; erro: unknown }> = [];
      for (const { id } of candidatos) {
        try {
          // One transaction per trâmite, holding its row: another instance skips it, and a step's failure rolls back only it.
          const moveu = await db.transaction(async (tx) => {
            const [atual] = await tx.select().from(tramites).where(eq(tramites.id, id)).for('update', { skipLocked: true });
            if (!atual) return false;
            return agir(tx, opcoes.tramitesNaTransacao(tx), opcoes.store, p, atual, agora);
          });
          if (moveu) movidos++;
        } catch (erro) {
          falhas.push({ tramiteId: id, erro });
        }
      }
      return { movidos, falhas };
    },
  };
}

/** The counterpart's turn on one trâmite, as its SPE would take it; false when it had nothing to do. */
async function agir(
  tx: Transaction,
  servico: ServicoTramites,
  store: ComponentStore,
  p: Preparadas,
  inicial: TramiteRow,
  agora: Date,
): Promise<boolean> {
  const destinataria = p.contrapartes.find((c) => c.orgaoId === inicial.destinatarioOrgaoId);
  const remetente = p.contrapartes.find((c) => c.orgaoId === inicial.remetenteOrgaoId);
  let atual = inicial;
  if (destinataria) {
    const viewer = viewerDaContraparte(destinataria);
    if (atual.situacao === 2)
      atual = (await servico.executarPasso({ acao: 'RECEBER_METADADOS', tramiteId: atual.id, viewer, agora })).tramite;
    if (atual.situacao === 3) {
      const [recusa] = await tx
        .select()
        .from(contrapartesPedidos)
        .where(
          and(
            eq(contrapartesPedidos.orgaoId, atual.remetenteOrgaoId),
            eq(contrapartesPedidos.contraparteOrgaoId, destinataria.orgaoId),
            isNull(contrapartesPedidos.atendidoEm),
          ),
        )
        .orderBy(asc(contrapartesPedidos.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (recusa) {
        await servico.executarPasso({
          acao: 'RECUSAR',
          tramiteId: atual.id,
          viewer,
          agora,
          motivo: '99',
          justificativa: recusa.justificativa,
        });
        await tx.update(contrapartesPedidos).set({ atendidoEm: agora, tramiteId: atual.id }).where(eq(contrapartesPedidos.id, recusa.id));
        return true;
      }
      atual = (
        await servico.confirmarRecebimento({ tramiteId: atual.id, viewer, agora, hashes: await hashesBaixados(tx, store, atual.id) })
      ).tramite;
    }
    if (atual.situacao === 4) {
      const texto = await textoDoReciboDeConclusao(tx, atual);
      const hashDaAssinatura = sign('sha256', Buffer.from(texto, 'utf8'), p.chavePrivada).toString('base64');
      await servico.executarPasso({ acao: 'ENVIAR_RECIBO_CONCLUSAO', tramiteId: atual.id, viewer, agora, recibo: { hashDaAssinatura } });
    }
    return atual !== inicial || inicial.situacao === 4;
  }
  if (!remetente) return false;
  const viewer = viewerDaContraparte(remetente);
  if (atual.situacao === 1) {
    // A test process whose upload did not happen at request time: the same deterministic bytes again.
    const bytes = documentoDeTeste(atual.numeroProcesso, remetente.sigla);
    await servico.receberComponente({
      viewer,
      tramiteId: atual.id,
      hash: sha256(bytes),
      mimeType: 'application/pdf',
      bytes: umaParte(bytes),
      agora,
    });
    return true;
  }
  if (atual.situacao === 5) await servico.executarPasso({ acao: 'RECEBER_RECIBO_CONCLUSAO', tramiteId: atual.id, viewer, agora });
  if (atual.situacao === 8) await servico.executarPasso({ acao: 'DAR_CIENCIA_RECUSA', tramiteId: atual.id, viewer, agora });
  return atual.situacao === 5 || atual.situacao === 8;
}

/** Downloads every declared component from the store, as the module does, and recomputes its SHA-256. */
async function hashesBaixados(tx: Transaction, store: ComponentStore, tramiteId: number) {
  const componentes = await tx
    .select({
      documento: tramiteDocumentos.ordem,
      componente: tramiteComponentes.ordem,
      conteudoId: tramiteComponentes.conteudoId,
      tamanho: tramiteComponentes.tamanho,
    })
    .from(tramiteComponentes)
    .innerJoin(tramiteDocumentos, eq(tramiteDocumentos.id, tramiteComponentes.documentoId))
    .where(eq(tramiteComponentes.tramiteId, tramiteId));
  const calculados = [];
  for (const c of componentes) {
    const hash = createHash('sha256');
    if (c.conteudoId != null && c.tamanho > 0)
      for await (const parte of store.ler(tx as unknown as Database, c.conteudoId, 0, c.tamanho - 1)) hash.update(parte);
    calculados.push({ documento: c.documento, componente: c.componente, hash: hash.digest('base64') });
  }
  return calculados;
}
