import { and, eq, isNull } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/client.js';
import { estruturas } from '../orgaos/tables.js';
import { orgaosServidosPeloSistema } from '../sistemas/consultas.js';
import { InvalidTokenError, type TokenVerifier } from './tokens.js';
import type { Viewer } from '../kernel/viewer.js';

export interface Authentication {
  viewer: Viewer | null;
  /** Why a presented credential was refused; null when there was none or it was good. */
  error: InvalidTokenError | null;
  expiresAt: Date | null;
}

const ANONYMOUS: Authentication = { viewer: null, error: null, expiresAt: null };
const ORGAO_CACHE_TTL_MS = 60_000;

/** Identities remembered per token (a few hundred bytes each): more than the clients one instance serves. */
const IDENTITIES_KEPT = 10_000;

/**
 * Turns an Authorization header into a viewer. The token names its agency by (repositório,
 * número de identificação); the internal id is looked up once a minute per agency, not per request.
 * The viewer a token proved is remembered by the token for as long as those lookups are (a minute, and never past
 * the token's `exp`), so a client repeating its token gets the same immutable viewer without re-deriving it: what
 * is cached is who the token is, never an answer. Refusals are not remembered.
 */
export function createAuthenticator(verify: TokenVerifier, db: Database) {
  const orgaoIds = new Map<string, { id: number | null; at: number }>();
  const servidos = new Map<string, { ids: number[] | null; at: number }>();
  const identidades = new LRUCache<string, { auth: Authentication; at: number }>({ max: IDENTITIES_KEPT });

  /** The agencies a system serves, and when that was looked up. */
  async function orgaosDoSistema(codigo: string): Promise<{ ids: number[] | null; at: number }> {
    const cached = servidos.get(codigo);
    if (cached && Date.now() - cached.at < ORGAO_CACHE_TTL_MS) return cached;
    const entry = { ids: await orgaosServidosPeloSistema(db, codigo), at: Date.now() };
    servidos.set(codigo, entry);
    return entry;
  }

  /** An agency's internal id, and when it was looked up. */
  async function orgaoId(repositorio: number, estrutura: number): Promise<{ id: number | null; at: number }> {
    const key = `${repositorio}/${estrutura}`;
    const cached = orgaoIds.get(key);
    if (cached && Date.now() - cached.at < ORGAO_CACHE_TTL_MS) return cached;
    const [row] = await db
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(and(eq(estruturas.repositorioId, repositorio), eq(estruturas.numeroIdentificacao, estrutura), isNull(estruturas.paiId)));
    const entry = { id: row?.id ?? null, at: Date.now() };
    orgaoIds.set(key, entry);
    return entry;
  }

  return async function authenticate(authorization: string | null | undefined): Promise<Authentication> {
    if (!authorization) return ANONYMOUS;
    const known = identidades.get(authorization);
    const now = Date.now();
    // As fresh as the agency lookups it rests on would be, and only until the token expires.
    if (known && now - known.at < ORGAO_CACHE_TTL_MS && (known.auth.expiresAt === null || known.auth.expiresAt.getTime() > now)) {
      return known.auth;
    }
    const identified = await identify(authorization);
    if (identified.auth.viewer) identidades.set(authorization, identified);
    return identified.auth;
  };

  /** The token's authentication, and when the oldest lookup it rests on was made (the identity is as old as that). */
  async function identify(authorization: string): Promise<{ auth: Authentication; at: number }> {
    let at = Date.now();
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match)
      return { auth: { ...ANONYMOUS, error: new InvalidTokenError('Use o cabeçalho "Authorization: Bearer <token>".', 'invalid') }, at };
    try {
      const claims = await verify(match[1]!);
      let id: number | null = null;
      if (claims.orgao) {
        const agency = await orgaoId(claims.orgao.repositorio, claims.orgao.estrutura);
        id = agency.id;
        at = Math.min(at, agency.at);
        if (id === null) {
          throw new InvalidTokenError(
            `O órgão do token (repositório ${claims.orgao.repositorio}, estrutura ${claims.orgao.estrutura}) não está cadastrado.`,
            'invalid',
          );
        }
      }
      let spe: { codigo: string; orgaoIds: number[] } | null = null;
      if (claims.spe) {
        const served = await orgaosDoSistema(claims.spe);
        const ids = served.ids;
        at = Math.min(at, served.at);
        if (ids === null) throw new InvalidTokenError(`O SPE do token (${claims.spe}) não está cadastrado.`, 'invalid');
        if (!claims.roles.includes('SPE')) throw new InvalidTokenError('Um token com `spe` tem o papel SPE.', 'invalid');
        if (id !== null && !ids.includes(id)) throw new InvalidTokenError(`O SPE ${claims.spe} não atende o órgão do token.`, 'invalid');
        spe = { codigo: claims.spe, orgaoIds: ids };
        // Serving one agency, it acts for it; serving several, each operation names one (`paraOrgao`).
        if (id === null && ids.length === 1) id = ids[0]!;
      }
      const viewer: Viewer = { sujeito: claims.sub, orgaoId: id, papeis: new Set(claims.roles), spe };
      return { auth: { viewer, error: null, expiresAt: claims.expiresAt }, at };
    } catch (error) {
      if (error instanceof InvalidTokenError) return { auth: { ...ANONYMOUS, error }, at };
      throw error;
    }
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
