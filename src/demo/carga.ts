/**
 * What the demo's trâmites carry (docs/domain.md §4): process metadata, documents and digital components with real
 * bytes, and the receipts, consistent with each trâmite's status walk. Derived from the status log the seed already
 * planned, so it fits every demo trâmite (the traffic and onboarding's tests) the same way:
 * - at 1 the components are declared and, in a trâmite with several, the first already uploaded;
 * - reaching 2 every component is held (uploaded before the move), the recibo de envio signed at the move;
 * - reaching 5 the recibo de conclusão signed by the recipient's SPE (the demo key) over the text the gateway rebuilds;
 * - each upload and receipt also has its event in the log (COMPONENTE_RECEBIDO, RECIBO_EMITIDO).
 * A handful of small generated files is shared by hash across trâmites (one content each in the store), so seeding
 * costs a few batched statements plus one signature per receipt.
 */
import { createHash } from 'node:crypto';
import { ATOR_PLATAFORMA } from '../kernel/platform.js';
import { documentoDeTeste } from '../onboarding/contrapartes.js';
import { eventoComponenteRecebido, eventoReciboEmitido, type NovoEvento, type Transaction } from '../tramites/eventos.js';
import {
  conteudoReciboDeConclusao,
  conteudoReciboDeEnvio,
  dataDoRecibo,
  textoReciboDeConclusao,
  type AssinadorDeRecibos,
} from '../tramites/recibos.js';
import {
  conteudoBlocos,
  conteudos,
  recibosDeConclusao,
  recibosDeEnvio,
  tramiteComponentes,
  tramiteDocumentos,
  tramiteProcessos,
} from '../tramites/tables.js';
import { assinarComoSpeDemo } from './chaves-spe.js';
import { COMPONENTE_DE_DEMO } from './conducao.js';
import { Rng } from './rng.js';

interface ArquivoDeDemo {
  nome: string;
  especie: number;
  descricao: string;
  mimeType: string;
  tipoDeConteudo: 'txt' | 'img' | 'out';
  bytes: Buffer;
  hash: string;
}

const arquivo = (a: Omit<ArquivoDeDemo, 'hash'>): ArquivoDeDemo => ({ ...a, hash: createHash('sha256').update(a.bytes).digest('base64') });

/** The demo's files: small, generated once, each a real content with its real SHA-256. */
export const ARQUIVOS_DE_DEMO: readonly ArquivoDeDemo[] = [
  arquivo({
    nome: 'oficio.pdf',
    especie: 63,
    descricao: 'Ofício',
    mimeType: 'application/pdf',
    tipoDeConteudo: 'txt',
    bytes: COMPONENTE_DE_DEMO,
  }),
  arquivo({
    nome: 'despacho.pdf',
    especie: 32,
    descricao: 'Despacho de encaminhamento',
    mimeType: 'application/pdf',
    tipoDeConteudo: 'txt',
    bytes: documentoDeTeste('despacho', 'DEMO'),
  }),
  arquivo({
    nome: 'nota-tecnica.pdf',
    especie: 61,
    descricao: 'Nota Técnica',
    mimeType: 'application/pdf',
    tipoDeConteudo: 'txt',
    bytes: documentoDeTeste('nota técnica', 'DEMO'),
  }),
  arquivo({
    nome: 'parecer.pdf',
    especie: 66,
    descricao: 'Parecer',
    mimeType: 'application/pdf',
    tipoDeConteudo: 'txt',
    bytes: documentoDeTeste('parecer', 'DEMO'),
  }),
  arquivo({
    nome: 'planilha-de-custos.csv',
    especie: 79,
    descricao: 'Relatório de custos',
    mimeType: 'text/csv',
    tipoDeConteudo: 'out',
    bytes: Buffer.from('item;quantidade;valor\nPapel A4;120;2.350,00\nToner;8;3.920,00\nTotal;;6.270,00\n', 'utf8'),
  }),
  arquivo({
    nome: 'memorando.txt',
    especie: 54,
    descricao: 'Memorando',
    mimeType: 'text/plain',
    tipoDeConteudo: 'txt',
    bytes: Buffer.from('Memorando nº 12/2026\nAssunto: encaminhamento do processo para análise e manifestação.\n', 'utf8'),
  }),
];

/** The hipótese legal of the demo's restricted documents: 1, "Informação Pessoal" (Art. 31, Lei 12.527/2011). */
const HIPOTESE_INFORMACAO_PESSOAL = 1;

/** A demo trâmite as the content plan needs it: its identity and its status events in order. */
export interface TramiteDaCarga {
  id: number;
  idt: number;
  nre: string;
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO';
  descricao: string | null;
  /** Its SITUACAO events, in order (the first is the start, by the sender). */
  eventos: NovoEvento[];
}

export interface ChaveDoSpeDemo {
  pem: string;
  chaveId: string;
}

/**
 * Writes the content of every trâmite in `tramites` (a few batched statements) and answers the events of the new
 * kinds, for the seed to merge into its log in time order.
 */
export async function semearCarga(
  tx: Transaction,
  tramites: readonly TramiteDaCarga[],
  opcoes: { assinador: AssinadorDeRecibos; chaveSpe: ChaveDoSpeDemo; agora: Date },
): Promise<NovoEvento[]> {
  const { assinador, chaveSpe, agora } = opcoes;
  const rng = new Rng(0x51ca_2026);

  // The files, once each in the store (one block: each is far below a block's size).
  const guardados = await tx
    .insert(conteudos)
    .values(ARQUIVOS_DE_DEMO.map((a) => ({ hash: a.hash, tamanho: a.bytes.byteLength, criadoEm: agora })))
    .returning({ id: conteudos.id, hash: conteudos.hash });
  const conteudoDe = new Map(guardados.map((g) => [g.hash, g.id]));
  await tx.insert(conteudoBlocos).values(ARQUIVOS_DE_DEMO.map((a) => ({ conteudoId: conteudoDe.get(a.hash)!, n: 0, dados: a.bytes })));

  // What each trâmite carries: 1-3 documents (an avulso one), each of one file, some of two.
  const planos = tramites.map((t) => {
    const inicio = t.eventos[0]!.ocorridoEm;
    const quantos = t.tipo === 'DOCUMENTO_AVULSO' ? 1 : rng.int(1, 3);
    const primeiro = rng.int(0, ARQUIVOS_DE_DEMO.length - 1);
    const restrito = rng.chance(0.15);
    const documentos = Array.from({ length: quantos }, (_, i) => {
      const principal = ARQUIVOS_DE_DEMO[(primeiro + i) % ARQUIVOS_DE_DEMO.length]!;
      // A document with an annex: the cost sheet beside the main file.
      const anexo = i === 0 && quantos > 1 && rng.chance(0.3) ? ARQUIVOS_DE_DEMO[4]! : null;
      return {
        ordem: i + 1,
        principal,
        arquivos: anexo && anexo !== principal ? [principal, anexo] : [principal],
        restrito: restrito && i === quantos - 1,
      };
    });
    return { t, inicio, documentos, restrito };
  });

  await tx.insert(tramiteProcessos).values(
    planos.map(({ t, inicio, restrito }) => ({
      tramiteId: t.id,
      nivelDeSigilo: restrito ? 2 : 1,
      hipoteseLegalId: restrito ? HIPOTESE_INFORMACAO_PESSOAL : null,
      processoDeNegocio: (t.descricao ?? 'Processo administrativo').slice(0, 100),
      produtor: 'Protocolo central',
      interessados: restrito ? ['Servidor interessado'] : ['Cidadão interessado'],
      dataHoraDeProducao: new Date(inicio.getTime() - 3 * 86_400_000),
      urgente: false,
      motivoUrgenciaCodigo: null,
    })),
  );
  const documentos = planos.flatMap(({ t, inicio, documentos }) =>
    documentos.map((d) => ({
      tramiteId: t.id,
      ordem: d.ordem,
      especieCodigo: d.principal.especie,
      descricao: d.principal.descricao,
      nivelDeSigilo: d.restrito ? 2 : 1,
      hipoteseLegalId: d.restrito ? HIPOTESE_INFORMACAO_PESSOAL : null,
      produtor: 'Protocolo central',
      dataHoraDeProducao: new Date(inicio.getTime() - 86_400_000),
    })),
  );
  const documentoIds = new Map<string, number>();
  for (const lote of lotes(documentos)) {
    const inseridos = await tx
      .insert(tramiteDocumentos)
      .values(lote)
      .returning({ id: tramiteDocumentos.id, tramiteId: tramiteDocumentos.tramiteId, ordem: tramiteDocumentos.ordem });
    for (const d of inseridos) documentoIds.set(`${d.tramiteId}:${d.ordem}`, d.id);
  }

  // Uploads: every component before the move to 2; at 1 (still, or cancelled there) the first of several only.
  const novos: NovoEvento[] = [];
  const componentes: (typeof tramiteComponentes.$inferInsert)[] = [];
  const enviosPorComponente: { t: TramiteDaCarga; ator: NovoEvento; em: Date }[] = [];
  const recibosEnvio: { tramiteId: number; conteudo: Parameters<AssinadorDeRecibos['assinar']>[0]; em: Date }[] = [];
  const recibosConclusao: (typeof recibosDeConclusao.$inferInsert)[] = [];
  for (const { t, documentos: docs } of planos) {
    const inicio = t.eventos[0]!;
    const a2 = t.eventos.find((e) => e.paraSituacao === 2);
    const seguinte = t.eventos[1];
    const arquivos = docs.flatMap((d) => d.arquivos.map((a, j) => ({ d, a, ordem: j + 1 })));
    const envios = a2 ? arquivos.length : arquivos.length > 1 ? 1 : 0;
    // Uploads spread over the time between the start and the move to 2 (or the next event, or a minute on).
    const ate = (a2 ?? seguinte)?.ocorridoEm.getTime() ?? Math.min(inicio.ocorridoEm.getTime() + 120_000, agora.getTime());
    const passo = (ate - inicio.ocorridoEm.getTime()) / (arquivos.length + 1);
    arquivos.forEach(({ d, a, ordem }, i) => {
      const enviado = i < envios;
      const em = new Date(inicio.ocorridoEm.getTime() + Math.max(1, Math.floor(passo * (i + 1))));
      componentes.push({
        tramiteId: t.id,
        documentoId: documentoIds.get(`${t.id}:${d.ordem}`)!,
        ordem,
        nome: a.nome,
        hash: a.hash,
        tamanho: a.bytes.byteLength,
        mimeType: a.mimeType,
        tipoDeConteudo: a.tipoDeConteudo,
        conteudoId: enviado ? conteudoDe.get(a.hash)! : null,
        enviadoEm: enviado ? em : null,
      });
      enviosPorComponente.push({ t, ator: inicio, em: enviado ? em : new Date(Number.NaN) });
    });
    const hashes = arquivos.map((x) => x.a.hash);
    if (a2) recibosEnvio.push({ tramiteId: t.id, conteudo: conteudoReciboDeEnvio(t, hashes, a2.ocorridoEm), em: a2.ocorridoEm });
    const a4 = t.eventos.find((e) => e.paraSituacao === 4);
    const a5 = t.eventos.find((e) => e.paraSituacao === 5);
    if (a4 && a5) {
      const texto = textoReciboDeConclusao(conteudoReciboDeConclusao(t, hashes, a4.ocorridoEm));
      recibosConclusao.push({
        tramiteId: t.id,
        dataDeRecebimento: new Date(dataDoRecibo(a4.ocorridoEm)),
        textoAssinado: texto,
        hashDaAssinatura: assinarComoSpeDemo(texto),
        chavePublicaPem: chaveSpe.pem,
        chaveId: chaveSpe.chaveId,
        recebidoEm: a5.ocorridoEm,
      });
      novos.push(eventoReciboEmitido({ id: t.id, situacao: 5 }, 'CONCLUSAO', atorDe(a5), a5.ocorridoEm));
    }
    if (a2) novos.push(eventoReciboEmitido({ id: t.id, situacao: 2 }, 'ENVIO', PLATAFORMA, a2.ocorridoEm));
  }
  for (const [l, lote] of lotes(componentes).entries()) {
    const inseridos = await tx.insert(tramiteComponentes).values(lote).returning({ id: tramiteComponentes.id });
    inseridos.forEach(({ id }, i) => {
      const c = lote[i]!;
      const { t, ator, em } = enviosPorComponente[l * LOTE + i]!;
      if (c.conteudoId != null) novos.push(eventoComponenteRecebido({ id: t.id, situacao: 1 }, id, atorDe(ator), em));
    });
  }
  const assinados = await Promise.all(
    recibosEnvio.map(async (r) => ({ tramiteId: r.tramiteId, jws: await assinador.assinar(r.conteudo), emitidoEm: r.em })),
  );
  for (const lote of lotes(assinados)) await tx.insert(recibosDeEnvio).values(lote);
  for (const lote of lotes(recibosConclusao)) await tx.insert(recibosDeConclusao).values(lote);
  return novos;
}

const PLATAFORMA = { atorSujeito: ATOR_PLATAFORMA, atorLado: 'PLATAFORMA', atorPenAdmin: false, atorOrgaoId: null } as const;

const atorDe = (e: NovoEvento) => ({
  atorSujeito: e.atorSujeito,
  atorLado: e.atorLado,
  atorPenAdmin: e.atorPenAdmin ?? false,
  atorOrgaoId: e.atorOrgaoId ?? null,
});

const LOTE = 500;

function lotes<T>(itens: T[], tamanho = LOTE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < itens.length; i += tamanho) out.push(itens.slice(i, i + tamanho));
  return out;
}
