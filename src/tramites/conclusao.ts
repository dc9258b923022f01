/**
 * The recibo de conclusão (4 → 5, docs/domain.md §4.4): the recipient's SPE posts only the date and
 * the signature; the gateway rebuilds the text it signed from its own records, verifies it with
 * RSA-SHA256 against the key its agency registered, and stores text, signature and key together.
 */
import { eq } from 'drizzle-orm';
import { DadosInvalidos } from '../kernel/erros.js';
import { AssinaturaInvalida, ChavePublicaNaoRegistrada } from './erros.js';
import type { Transaction } from './eventos.js';
import { assinaturaConfere, conteudoReciboDeConclusao, dataDoRecibo, textoReciboDeConclusao } from './recibos.js';
import { type recibosDeConclusao, tramiteComponentes, type tramites } from './tables.js';

type TramiteRow = typeof tramites.$inferSelect;

/**
 * The key the recipient's SPE of a trâmite signs with (its agency's, in the trâmite's environment), found by the
 * composition (the registry lives in onboarding). By the trâmite's id, so it goes out with the step's first read.
 */
export type ChaveDoSpeDestinatario = (tx: Transaction, tramiteId: number) => Promise<{ pem: string; chaveId: string } | null>;

export interface ReciboAssinado {
  /** RSA-SHA256 signature of the receipt's text, base64. */
  hashDaAssinatura?: string | null;
  /** When the SPE says the trâmite reached 4: must be the platform's own date, when given. */
  dataDeRecebimento?: Date | null;
}

/**
 * The text the recipient's SPE signs for `atual` (at 4), rebuilt from what the platform holds: its components' hashes
 * and its arrival at 4 (its last status change). The gateway verifies against it; the SPEs it operates sign it.
 */
export async function textoDoReciboDeConclusao(db: Pick<Transaction, 'select'>, atual: TramiteRow): Promise<string> {
  const hashes = await db
    .select({ hash: tramiteComponentes.hash })
    .from(tramiteComponentes)
    .where(eq(tramiteComponentes.tramiteId, atual.id));
  return textoComHashes(
    atual,
    hashes.map((h) => h.hash),
  );
}

/** The same text from hashes the caller already read. */
const textoComHashes = (atual: TramiteRow, hashes: readonly string[]) =>
  textoReciboDeConclusao(conteudoReciboDeConclusao(atual, hashes, atual.situacaoAlteradaEm));

/**
 * Verifies the receipt of `atual` (at 4), its components' `hashes` read by the caller with the trâmite, and returns
 * the row to store (`recibosDeConclusao`, written with the step); a business error before anything is written.
 */
export function verificarReciboDeConclusao(
  atual: TramiteRow,
  hashes: readonly string[],
  recibo: ReciboAssinado,
  /** The recipient's registered key (`ChaveDoSpeDestinatario`), looked up by the caller. */
  chave: { pem: string; chaveId: string } | null,
  agora: Date,
): typeof recibosDeConclusao.$inferInsert {
  // The trâmite is at 4, so the last status change is its arrival at 4.
  const chegouA4Em = atual.situacaoAlteradaEm;
  const problemas = [];
  if (!recibo.hashDaAssinatura) problemas.push({ campo: 'hashDaAssinatura', mensagem: 'obrigatória: a assinatura do recibo de conclusão' });
  if (recibo.dataDeRecebimento && dataDoRecibo(recibo.dataDeRecebimento) !== dataDoRecibo(chegouA4Em))
    problemas.push({ campo: 'dataDeRecebimento', mensagem: `deve ser quando o trâmite chegou a 4: ${dataDoRecibo(chegouA4Em)}` });
  if (problemas.length > 0) throw new DadosInvalidos(problemas);
  const texto = textoComHashes(atual, hashes);
  if (!chave) throw new ChavePublicaNaoRegistrada();
  if (!assinaturaConfere(texto, recibo.hashDaAssinatura!, chave.pem)) throw new AssinaturaInvalida(texto, chave.chaveId);
  return {
    tramiteId: atual.id,
    dataDeRecebimento: new Date(dataDoRecibo(chegouA4Em)),
    textoAssinado: texto,
    hashDaAssinatura: recibo.hashDaAssinatura!,
    chavePublicaPem: chave.pem,
    chaveId: chave.chaveId,
    recebidoEm: agora,
  };
}
