/**
 * The receipts (docs/domain.md §4.4). The recibo de envio: when a trâmite reaches 2 the platform signs, as a compact
 * JWS (jose), `{ IDT, NRE, dataDeRecebimentoDoUltimoComponenteDigital, hashesDosComponentesDigitais }`
 * with the gateway's key; the public key is published at `/.well-known/jwks.json` (`kid` in the header).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8, type JWK } from 'jose';

export interface ConteudoReciboDeEnvio {
  IDT: string;
  NRE: string;
  dataDeRecebimentoDoUltimoComponenteDigital: string;
  /** SHA-256 (base64) of every component, sorted, as the platform lists them. */
  hashesDosComponentesDigitais: string[];
}

export interface AssinadorDeRecibos {
  assinar(conteudo: ConteudoReciboDeEnvio): Promise<string>;
  /** The public key set to verify receipts with. */
  jwks(): Promise<{ keys: JWK[] }>;
}

export interface ChaveDeAssinatura {
  /** PKCS#8 PEM private key (RECEIPT_SIGNING_KEY), or null: a key generated at start (embedded demo only). */
  pem: string | null;
  alg: 'ES256' | 'RS256' | 'EdDSA';
}

export function criarAssinadorDeRecibos({ pem, alg }: ChaveDeAssinatura): AssinadorDeRecibos {
  // Loaded once, on first use: the service is built synchronously at composition.
  let chave: Promise<{ privada: CryptoKey; publica: JWK }> | null = null;
  const carregar = () =>
    (chave ??= (async () => {
      if (pem) {
        const privada = (await importPKCS8(pem, alg, { extractable: true })) as CryptoKey;
        const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publica } = await exportJWK(privada);
        return { privada, publica: { ...publica, kid: await calculateJwkThumbprint(publica), alg, use: 'sig' } };
      }
      const par = await generateKeyPair(alg, { extractable: true });
      const publica = await exportJWK(par.publicKey);
      return { privada: par.privateKey as CryptoKey, publica: { ...publica, kid: await calculateJwkThumbprint(publica), alg, use: 'sig' } };
    })());
  return {
    async assinar(conteudo) {
      const { privada, publica } = await carregar();
      return new CompactSign(new TextEncoder().encode(JSON.stringify(conteudo)))
        .setProtectedHeader({ alg, kid: publica.kid, typ: 'recibo-de-envio+jws' })
        .sign(privada);
    },
    async jwks() {
      return { keys: [(await carregar()).publica] };
    },
  };
}

/** The receipt's content from the trâmite and its components; the hashes sorted (§4.4). */
export function conteudoReciboDeEnvio(
  tramite: { idt: number; nre: string },
  hashes: readonly string[],
  ultimoComponenteEm: Date,
): ConteudoReciboDeEnvio {
  return {
    IDT: String(tramite.idt),
    NRE: tramite.nre,
    dataDeRecebimentoDoUltimoComponenteDigital: ultimoComponenteEm.toISOString(),
    hashesDosComponentesDigitais: [...new Set(hashes)].sort(),
  };
}

/** What the recipient's SPE signs for the recibo de conclusão (docs/domain.md §4.4). */
export interface ConteudoReciboDeConclusao {
  IDT: string;
  NRE: string;
  /** When the trâmite reached 4, UTC `YYYY-MM-DDTHH:MM:SS.000Z` (seconds: the module's format). */
  dataDeRecebimento: string;
  hashesDosComponentesDigitais: string[];
}

/** The module's date format: milliseconds always `.000` (`ReceberReciboTramiteRN.php`). */
export const dataDoRecibo = (data: Date) => `${data.toISOString().slice(0, 19)}.000Z`;

export function conteudoReciboDeConclusao(
  tramite: { idt: number; nre: string },
  hashes: readonly string[],
  chegouA4Em: Date,
): ConteudoReciboDeConclusao {
  return {
    IDT: String(tramite.idt),
    NRE: tramite.nre,
    dataDeRecebimento: dataDoRecibo(chegouA4Em),
    hashesDosComponentesDigitais: [...new Set(hashes)].sort(),
  };
}

/**
 * The text the recipient signs with RSA-SHA256: `<recibo><IDT>…</IDT><NRE>…</NRE><dataDeRecebimento>…
 * </dataDeRecebimento><hashDoComponenteDigital>…</hashDoComponenteDigital>…</recibo>`, hashes sorted.
 * The values are digits, a date and base64, so nothing needs XML escaping.
 */
export function textoReciboDeConclusao(c: ConteudoReciboDeConclusao): string {
  const hashes = c.hashesDosComponentesDigitais.map((h) => `<hashDoComponenteDigital>${h}</hashDoComponenteDigital>`).join('');
  return `<recibo><IDT>${c.IDT}</IDT><NRE>${c.NRE}</NRE><dataDeRecebimento>${c.dataDeRecebimento}</dataDeRecebimento>${hashes}</recibo>`;
}

/** Registered SPE keys already parsed, by PEM: one per agency and environment, so a small bound keeps every one in use. */
const CHAVES_IMPORTADAS_MAX = 1024;
const chavesImportadas = new Map<string, KeyObject>();

/** The key of a PEM, parsed once per process (parsing costs about as much as the verification itself). */
function chavePublica(pem: string): KeyObject {
  let chave = chavesImportadas.get(pem);
  if (!chave) {
    chave = createPublicKey(pem);
    if (chavesImportadas.size >= CHAVES_IMPORTADAS_MAX) chavesImportadas.clear();
    chavesImportadas.set(pem, chave);
  }
  return chave;
}

/** Whether `hashDaAssinatura` (base64) is the RSA-SHA256 signature of `texto` by `chavePublicaPem`. */
export function assinaturaConfere(texto: string, hashDaAssinatura: string, chavePublicaPem: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(hashDaAssinatura)) return false;
  return verify('sha256', Buffer.from(texto, 'utf8'), chavePublica(chavePublicaPem), Buffer.from(hashDaAssinatura, 'base64'));
}
