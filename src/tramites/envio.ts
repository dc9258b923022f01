/**
 * What the sender sends: the documents and components declared at start (validated by conteudo.ts,
 * reference codes checked against the lists in the database), and the upload of each component's
 * bytes. The platform moves the trâmite to 2 in the transaction that stores the last missing one.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { linhasDe } from '../db/linhas.js';
import { DadosInvalidos, validar, type Problema } from '../kernel/erros.js';
import { ATOR_PLATAFORMA } from '../kernel/platform.js';
import type { Viewer } from '../kernel/viewer.js';
import { canReadTramite } from './acesso.js';
import type { ComponentStore } from './componentes.js';
import { codigosReferenciados, documentosSchema, processoSchema, type DocumentoDeclarado, type ProcessoDeclarado } from './conteudo.js';
import {
  ComponenteNaoDeclarado,
  ConflitoConcorrencia,
  HashNaoConfere,
  MimeTypeNaoConfere,
  TamanhoNaoConfere,
  TramiteNaoEncontrado,
  TransicaoInvalida,
} from './erros.js';
import {
  eventoComponenteRecebido,
  eventoReciboEmitido,
  moverRegistrando,
  registrarEventos,
  type Evento,
  type NovoEvento,
  type Transaction,
} from './eventos.js';
import { autorizarPasso, ladosDoViewer, PASSO_POR_ACAO, passosAPartirDe, type Situacao } from './regras.js';
import { atorDoPasso, recusaDePapel, type EfeitoDePasso, type TramiteRow } from './servico.js';
import { conteudoReciboDeEnvio, type AssinadorDeRecibos } from './recibos.js';
import {
  especiesDocumentais,
  hipotesesLegais,
  conteudos,
  recibosDeEnvio,
  motivosUrgencia,
  tramiteComponentes,
  tramiteDocumentos,
  tramiteProcessos,
  tramites,
} from './tables.js';

export type ComponenteRow = typeof tramiteComponentes.$inferSelect;

export interface ConteudoDeclarado {
  processo: ProcessoDeclarado;
  documentos: DocumentoDeclarado[];
}

/** Validates the metadata and documents of a start: at least one document, each with at least one component. */
export function validarConteudo(processo: unknown, documentos: unknown, limiteComponente: number): ConteudoDeclarado {
  const problemas: Problema[] = [];
  const coletar = <T>(fn: () => T, prefixo: string): T | null => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof DadosInvalidos)) throw error;
      problemas.push(
        ...error.problemas.map((p) => ({ campo: p.campo === '(pedido)' ? prefixo : `${prefixo}.${p.campo}`, mensagem: p.mensagem })),
      );
      return null;
    }
  };
  const p = coletar(() => validar(processoSchema, processo ?? {}), 'processo');
  const d = coletar(() => validar(documentosSchema.min(1, 'ao menos um documento'), documentos ?? []), 'documentos');
  d?.forEach((doc, i) => {
    doc.componentes.forEach((c, j) => {
      if (c.tamanhoEmBytes > limiteComponente)
        problemas.push({
          campo: `documentos.${i}.componentes.${j}.tamanhoEmBytes`,
          mensagem: `no máximo ${limiteComponente} bytes por componente`,
        });
    });
  });
  if (problemas.length > 0 || !p || !d) throw new DadosInvalidos(problemas);
  return { processo: p, documentos: d };
}

/** Writes the declared content of a new trâmite; unknown or inactive reference codes are DadosInvalidos. */
export async function registrarConteudo(
  tx: Transaction,
  tramite: TramiteRow,
  processo: ProcessoDeclarado,
  documentos: DocumentoDeclarado[],
): Promise<void> {
  const codigos = codigosReferenciados(processo, documentos);
  const problemas: Problema[] = [];
  const especies = new Set(
    (
      await tx
        .select({ codigo: especiesDocumentais.codigo })
        .from(especiesDocumentais)
        .where(inArray(especiesDocumentais.codigo, [...codigos.especies.keys()]))
    ).map((e) => e.codigo),
  );
  for (const [codigo, campo] of codigos.especies)
    if (!especies.has(codigo)) problemas.push({ campo, mensagem: `espécie documental ${codigo} não existe` });
  if (codigos.hipoteses.size > 0) {
    const ativas = new Set(
      (
        await tx
          .select({ id: hipotesesLegais.id })
          .from(hipotesesLegais)
          .where(and(inArray(hipotesesLegais.id, [...codigos.hipoteses.keys()]), eq(hipotesesLegais.ativa, true)))
      ).map((h) => h.id),
    );
    for (const [id, campo] of codigos.hipoteses)
      if (!ativas.has(id)) problemas.push({ campo, mensagem: `hipótese legal ${id} não existe ou está inativa` });
  }
  if (codigos.motivoUrgencia != null) {
    const [motivo] = await tx.select().from(motivosUrgencia).where(eq(motivosUrgencia.codigo, codigos.motivoUrgencia));
    if (!motivo) problemas.push({ campo: 'processo.motivoUrgencia', mensagem: `motivo de urgência ${codigos.motivoUrgencia} não existe` });
  }
  if (problemas.length > 0) throw new DadosInvalidos(problemas);

  await tx.insert(tramiteProcessos).values({
    tramiteId: tramite.id,
    nivelDeSigilo: processo.nivelDeSigilo,
    hipoteseLegalId: processo.hipoteseLegal ?? null,
    processoDeNegocio: processo.processoDeNegocio,
    produtor: processo.produtor,
    interessados: processo.interessados,
    dataHoraDeProducao: processo.dataHoraDeProducao ?? null,
    urgente: processo.urgente,
    motivoUrgenciaCodigo: processo.motivoUrgencia ?? null,
  });
  const linhas = await tx
    .insert(tramiteDocumentos)
    .values(
      documentos.map((d) => ({
        tramiteId: tramite.id,
        ordem: d.ordem,
        especieCodigo: d.especie,
        descricao: d.descricao,
        nivelDeSigilo: d.nivelDeSigilo,
        hipoteseLegalId: d.hipoteseLegal ?? null,
        produtor: d.produtor,
        dataHoraDeProducao: d.dataHoraDeProducao ?? null,
      })),
    )
    .returning({ id: tramiteDocumentos.id, ordem: tramiteDocumentos.ordem });
  const idPorOrdem = new Map(linhas.map((l) => [l.ordem, l.id]));
  await tx.insert(tramiteComponentes).values(
    documentos.flatMap((d) =>
      d.componentes.map((c) => ({
        tramiteId: tramite.id,
        documentoId: idPorOrdem.get(d.ordem)!,
        ordem: c.ordem,
        nome: c.nome,
        hash: c.hash,
        tamanho: c.tamanhoEmBytes,
        mimeType: c.mimeType,
        tipoDeConteudo: c.tipoDeConteudo,
      })),
    ),
  );
}

export interface PedidoComponente {
  viewer: Viewer;
  tramiteId: number;
  /** The declared SHA-256 (base64) the upload claims to be. */
  hash: string;
  /** The upload's content type, when the client sent one. */
  mimeType?: string | null;
  bytes: AsyncIterable<Uint8Array>;
  agora: Date;
}

export interface ResultadoComponente {
  /** The components (of this trâmite) these bytes satisfy. */
  componentes: ComponenteRow[];
  /** True when they were all held already: nothing was stored (a repeated upload). */
  jaGuardado: boolean;
  tramite: TramiteRow;
  /** The platform's move to 2 when this was the last missing component. */
  evento: Evento | null;
}

/** Content types a client library may send for "I don't know": they do not contradict the declaration. */
const MIME_GENERICOS = new Set(['', 'application/octet-stream']);

export async function receberComponente(
  db: Database,
  store: ComponentStore,
  assinador: AssinadorDeRecibos,
  efeitos: readonly EfeitoDePasso[],
  pedido: PedidoComponente,
): Promise<ResultadoComponente> {
  return db.transaction(async (tx) => {
    // Row lock: uploads to one trâmite take turns, so exactly one of them sees "none missing". The trâmite's
    // components come in the same round trip, read by a statement of their own: it starts once the lock is granted,
    // so it sees the marks of the upload that held it before.
    const [[atual], todos] = await Promise.all([
      tx.select().from(tramites).where(eq(tramites.id, pedido.tramiteId)).for('update', { of: tramites }).execute(),
      componentesDoTramite(tx, pedido.tramiteId),
    ]);
    if (!atual) throw new TramiteNaoEncontrado();
    // Who cannot read the trâmite learns nothing; PEN and the wrong side or role are refused as for any step.
    if (!canReadTramite(pedido.viewer, atual)) throw new TramiteNaoEncontrado();
    const autorizacao = autorizarPasso(pedido.viewer, PASSO_POR_ACAO.ENVIAR_COMPONENTES_DIGITAIS, atual);
    if (!autorizacao.ok) throw recusaDePapel(autorizacao, 'ENVIAR_COMPONENTES_DIGITAIS');
    const situacao = atual.situacao as Situacao;
    if (situacao !== 1) {
      const lados = ladosDoViewer(pedido.viewer, atual);
      throw new TransicaoInvalida(
        situacao,
        'ENVIAR_COMPONENTES_DIGITAIS',
        passosAPartirDe(situacao)
          .filter((p) => lados.includes(p.lado))
          .map((p) => p.acao),
      );
    }
    const alvo = todos.filter((c) => c.hash === pedido.hash);
    if (alvo.length === 0) throw new ComponenteNaoDeclarado(pedido.hash);
    const declarado = alvo[0]!;
    const recebido = (pedido.mimeType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!MIME_GENERICOS.has(recebido) && !alvo.some((c) => c.mimeType.toLowerCase() === recebido))
      throw new MimeTypeNaoConfere(declarado.mimeType, recebido);
    const aMarcar = alvo.filter((c) => c.conteudoId == null);
    if (aMarcar.length === 0) {
      // Re-uploading a held component is a no-op; the bytes are read and dropped.
      for await (const _ of pedido.bytes);
      return { componentes: alvo, jaGuardado: true, tramite: atual, evento: null };
    }

    const guardado = await store.guardar(tx, pedido.bytes, { tamanhoEsperado: declarado.tamanho, agora: pedido.agora });
    if (guardado.tamanho !== declarado.tamanho) throw new TamanhoNaoConfere(declarado.tamanho, guardado.tamanho);
    if (guardado.hash !== declarado.hash) throw new HashNaoConfere(declarado.hash, guardado.hash);
    // What is still missing once these bytes mark their components, known from the read under the row lock; the
    // receipt, when none is, signed before anything else is written.
    const situacao2 = todos.map((c) => ({ hash: c.hash, falta: c.conteudoId == null && c.hash !== declarado.hash }));
    const jws = await reciboDeEnvioSeCompleto(atual, situacao2, pedido.agora, assinador);
    // The content named (its lock is held from here to commit, so it goes with the transaction's last statements),
    // the components marked with it (found by (hash, tamanho): the naming statement ran before), and one event per
    // component these bytes satisfy, by the sender's side, with the platform's move to 2 when this was the last
    // missing one (one append, one notification per act): one round trip. The mark is a raw statement as the
    // naming's are, so drizzle hands it to the driver after them; the check below fails loudly were it not so.
    const nome = guardado.nomear();
    const marcacao = tx
      .execute(
        sql`update ${tramiteComponentes} set conteudo_id = (select id from ${conteudos} where hash = ${guardado.hash} and tamanho = ${guardado.tamanho}),
                   enviado_em = ${pedido.agora}
             where id in ${aMarcar.map((c) => c.id)} and conteudo_id is null
         returning id, conteudo_id`,
      )
      .execute()
      .then(linhasDe<{ id: number | string; conteudo_id: number | string | null }>);
    const recebidos = aMarcar.map((c) => eventoComponenteRecebido(atual, c.id, atorDoPasso(pedido.viewer, autorizacao), pedido.agora));
    const movimento = jws ? passarA2(tx, atual, jws, pedido.agora, efeitos, recebidos) : registrarEventos(tx, recebidos).then(() => null);
    const [conteudoId, marcados, completo] = await Promise.all([nome, marcacao, movimento]);
    // Under the row lock nothing else marks them; a mark that missed one or found no content is a broken invariant.
    if (marcados.length !== aMarcar.length || marcados.some((m) => Number(m.conteudo_id) !== conteudoId))
      throw new Error(
        `upload of ${declarado.hash}: ${marcados.length} of ${aMarcar.length} components marked, not all with content ${conteudoId}`,
      );
    const componentes = aMarcar.map((c) => ({ ...c, conteudoId, enviadoEm: pedido.agora }));
    return { componentes, jaGuardado: false, tramite: completo?.tramite ?? atual, evento: completo?.evento ?? null };
  });
}

/** A trâmite's components, in the order the receipt's hashes and the "missing" check read them. */
function componentesDoTramite(tx: Transaction, tramiteId: number): Promise<ComponenteRow[]> {
  return tx.select().from(tramiteComponentes).where(eq(tramiteComponentes.tramiteId, tramiteId)).execute();
}

/** A trâmite's components as the move to 2 needs them: whether any is missing and, when none is, the receipt's hashes. */
export function componentesDoEnvio(tx: Transaction, tramiteId: number): Promise<{ hash: string; falta: boolean }[]> {
  return tx
    .select({ hash: tramiteComponentes.hash, falta: sql<boolean>`${tramiteComponentes.conteudoId} is null` })
    .from(tramiteComponentes)
    .where(eq(tramiteComponentes.tramiteId, tramiteId))
    .execute();
}

/** The recibo de envio (compact JWS) when none of `componentes` (`componentesDoEnvio`) is missing; null while some are. */
async function reciboDeEnvioSeCompleto(
  atual: TramiteRow,
  componentes: readonly { hash: string; falta: boolean }[],
  agora: Date,
  assinador: AssinadorDeRecibos,
): Promise<string | null> {
  if (componentes.some((c) => c.falta)) return null;
  return assinador.assinar(
    conteudoReciboDeEnvio(
      atual,
      componentes.map((c) => c.hash),
      agora,
    ),
  );
}

/**
 * The platform's move 1 → 2 when none of `componentes` (`componentesDoEnvio`, read in the caller's transaction after
 * its last change to them) is missing, with its signed recibo de envio, in the caller's transaction, its events
 * appended after `antes` (the act's own); null while some are missing (nothing appended).
 */
export async function passarA2SeCompleto(
  tx: Transaction,
  atual: TramiteRow,
  componentes: readonly { hash: string; falta: boolean }[],
  agora: Date,
  assinador: AssinadorDeRecibos,
  efeitos: readonly EfeitoDePasso[],
  antes: readonly NovoEvento[] = [],
): Promise<{ tramite: TramiteRow; evento: Evento } | null> {
  const jws = await reciboDeEnvioSeCompleto(atual, componentes, agora, assinador);
  return jws ? passarA2(tx, atual, jws, agora, efeitos, antes) : null;
}

/**
 * The move 1 → 2 with its recibo de envio `jws`, its events appended after `antes` (the act's own): the move, the
 * receipt and the events in one statement (after whatever the caller issued before this call); when the
 * compare-and-set finds another version, the error below rolls it all back.
 */
async function passarA2(
  tx: Transaction,
  atual: TramiteRow,
  jws: string,
  agora: Date,
  efeitos: readonly EfeitoDePasso[],
  antes: readonly NovoEvento[],
): Promise<{ tramite: TramiteRow; evento: Evento }> {
  const plataforma = { atorSujeito: ATOR_PLATAFORMA, atorLado: 'PLATAFORMA', atorPenAdmin: false, atorOrgaoId: null } as const;
  // The act's own events, the move to 2, then the receipt issued at 2: one append, seqs in that order.
  const movido = await moverRegistrando(
    tx,
    atual,
    2,
    agora,
    [
      ...antes,
      { tramiteId: atual.id, deSituacao: 1, paraSituacao: 2, ...plataforma, ocorridoEm: agora },
      eventoReciboEmitido({ id: atual.id, situacao: 2 }, 'ENVIO', plataforma, agora),
    ],
    tx
      .$with('recibo')
      .as(tx.insert(recibosDeEnvio).values({ tramiteId: atual.id, jws, emitidoEm: agora }).returning({ id: recibosDeEnvio.tramiteId })),
  );
  if (!movido) throw new ConflitoConcorrencia(atual.situacao as Situacao, atual.versao);
  for (const efeito of efeitos) await efeito(tx, movido.tramite, { paraSituacao: 2, ocorridoEm: agora });
  return { tramite: movido.tramite, evento: movido.eventos[antes.length]! };
}

/**
 * "Enviar apenas componentes digitais pendentes" (§4.5): declared components whose bytes the platform
 * already holds from an earlier trâmite of the same process count as sent. "The same process" is its
 * NRE, or, for a process that never reached 6 (a refused or cancelled first send, which issues a new
 * NRE on the resend), its number: the one open trâmite per process keeps that history one process's.
 */
export async function aproveitarComponentesDoProcesso(tx: Transaction, tramite: TramiteRow, agora: Date): Promise<void> {
  await tx.execute(sql`
    update tramite_componentes novo set conteudo_id = anterior.conteudo_id, enviado_em = ${agora}
      from tramite_componentes anterior join tramites t on t.id = anterior.tramite_id
     where novo.tramite_id = ${tramite.id} and novo.conteudo_id is null
       and (t.nre = ${tramite.nre} or (${tramite.tipo} = 'PROCESSO' and t.tipo = 'PROCESSO' and t.numero_processo = ${tramite.numeroProcesso}))
       and t.id <> ${tramite.id} and anterior.conteudo_id is not null
       and anterior.hash = novo.hash and anterior.tamanho = novo.tamanho`);
}

/** Components of a trâmite not yet held by the platform (the sender's pending list). */
export function componentesPendentesDeEnvio(db: Database, tramiteId: number): Promise<ComponenteRow[]> {
  return db
    .select()
    .from(tramiteComponentes)
    .where(and(eq(tramiteComponentes.tramiteId, tramiteId), isNull(tramiteComponentes.conteudoId)));
}
