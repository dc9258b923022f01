/**
 * The SPE public-key registry: per agency and environment, the key that verifies the recibo de
 * conclusão its SPE signs (docs/domain.md §4.4). The agency's gestor de protocolo registers it (again
 * to rotate); `chavePublicaDoSpe` is the one lookup, the seam the SPE entity (issue 10) connects to.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Database } from '../db/client.js';
import type { Transaction } from '../db/log.js';
import type { Viewer } from '../kernel/viewer.js';
import { ChavePublicaInvalida, PapelNaoPermitido } from './erros.js';
import type { Ambiente } from '../kernel/ambiente.js';
import { AMBIENTE_DA_ETAPA } from './regras.js';
import { chavesPublicasSpe, onboardings } from './tables.js';

export type ChavePublicaSpeRow = typeof chavesPublicasSpe.$inferSelect;

export interface ChaveValidada {
  pem: string;
  chaveId: string;
  bits: number;
  jwk: JWK;
}

const BITS_MINIMOS = 2048;

/** Reads a PEM or a JWK (as JSON text) into a validated RSA public key of ≥ 2048 bits. */
export async function validarChavePublica(texto: string): Promise<ChaveValidada> {
  const entrada = texto.trim();
  if (/PRIVATE KEY-----/.test(entrada)) throw new ChavePublicaInvalida('PRIVADA');
  let chave: KeyObject;
  try {
    if (entrada.startsWith('{')) {
      const jwk = JSON.parse(entrada) as JsonWebKey;
      if (jwk.d) throw new ChavePublicaInvalida('PRIVADA');
      chave = createPublicKey({ key: jwk, format: 'jwk' });
    } else {
      chave = createPublicKey(entrada);
    }
  } catch (error) {
    if (error instanceof ChavePublicaInvalida) throw error;
    throw new ChavePublicaInvalida('FORMATO');
  }
  if (chave.asymmetricKeyType !== 'rsa') throw new ChavePublicaInvalida('NAO_RSA');
  const bits = chave.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < BITS_MINIMOS) throw new ChavePublicaInvalida('CURTA');
  const { kty, n, e } = chave.export({ format: 'jwk' });
  const jwk: JWK = { kty, n, e };
  return { pem: chave.export({ format: 'pem', type: 'spki' }).toString(), chaveId: await calculateJwkThumbprint(jwk), bits, jwk };
}

export interface PedidoChaveSpe {
  viewer: Viewer;
  chavePublica: string;
  ambiente: Ambiente;
  agora: Date;
}

/** Registers (or rotates) the viewer's agency's SPE key: a gestor de protocolo of that agency only. */
export async function registrarChavePublicaSpe(db: Database, pedido: PedidoChaveSpe): Promise<ChavePublicaSpeRow> {
  const { viewer } = pedido;
  if (!viewer.papeis.has('GESTOR_PROTOCOLO') || viewer.orgaoId == null) throw new PapelNaoPermitido('ORGAO');
  const chave = await validarChavePublica(pedido.chavePublica);
  const valores = {
    pem: chave.pem,
    chaveId: chave.chaveId,
    bits: chave.bits,
    registradaEm: pedido.agora,
    registradaPor: viewer.sujeito,
  };
  const [linha] = await db
    .insert(chavesPublicasSpe)
    .values({ orgaoId: viewer.orgaoId, ambiente: pedido.ambiente, ...valores })
    .onConflictDoUpdate({ target: [chavesPublicasSpe.orgaoId, chavesPublicasSpe.ambiente], set: valores })
    .returning();
  return linha!;
}

/** THE lookup: the SPE public key an agency registered for an environment, or null. */
export async function chavePublicaDoSpe(
  db: Database | Transaction,
  orgaoId: number,
  ambiente: Ambiente,
): Promise<ChavePublicaSpeRow | null> {
  const [linha] = await db
    .select()
    .from(chavesPublicasSpe)
    .where(and(eq(chavesPublicasSpe.orgaoId, orgaoId), eq(chavesPublicasSpe.ambiente, ambiente)));
  return linha ?? null;
}

/**
 * `chavePublicaDoSpe` of a trâmite's recipient agency in the trâmite's environment, by the trâmite's id (one
 * statement: it needs no read of the trâmite before it).
 */
export async function chavePublicaDoDestinatario(db: Database | Transaction, tramiteId: number): Promise<ChavePublicaSpeRow | null> {
  const [linha] = await db
    .select()
    .from(chavesPublicasSpe)
    .where(
      sql`(${chavesPublicasSpe.orgaoId}, ${chavesPublicasSpe.ambiente}) = (select t.destinatario_orgao_id, t.ambiente from tramites t where t.id = ${tramiteId})`,
    );
  return linha ?? null;
}

/**
 * The environment an agency exchanges in today: its onboarding stage's; an agency with no onboarding
 * record (it predates the gateway's onboarding) exchanges in production. The default environment of a key
 * registration that names none.
 */
export async function ambienteAtualDoOrgao(db: Database | Transaction, orgaoId: number): Promise<Ambiente> {
  const [linha] = await db.select({ etapa: onboardings.etapa }).from(onboardings).where(eq(onboardings.orgaoId, orgaoId));
  return linha ? AMBIENTE_DA_ETAPA[linha.etapa] : 'PRODUCAO';
}
