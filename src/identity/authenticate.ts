import { and, eq, isNull } from 'drizzle-orm';
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

/**
 * Turns an Authorization header into a viewer. The token names its agency by (repositório,
 * número de identificação); the internal id is looked up once a minute per agency, not per request.
 */
export function createAuthenticator(verify: TokenVerifier, db: Database) {
  const orgaoIds = new Map<string, { id: number | null; at: number }>();
  const servidos = new Map<string, { ids: number[] | null; at: number }>();

  async function orgaosDoSistema(codigo: string): Promise<number[] | null> {
    const cached = servidos.get(codigo);
    if (cached && Date.now() - cached.at < ORGAO_CACHE_TTL_MS) return cached.ids;
    const ids = await orgaosServidosPeloSistema(db, codigo);
    servidos.set(codigo, { ids, at: Date.now() });
    return ids;
  }

  async function orgaoId(repositorio: number, estrutura: number): Promise<number | null> {
    const key = `${repositorio}/${estrutura}`;
    const cached = orgaoIds.get(key);
    if (cached && Date.now() - cached.at < ORGAO_CACHE_TTL_MS) return cached.id;
    const [row] = await db
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(and(eq(estruturas.repositorioId, repositorio), eq(estruturas.numeroIdentificacao, estrutura), isNull(estruturas.paiId)));
    orgaoIds.set(key, { id: row?.id ?? null, at: Date.now() });
    return row?.id ?? null;
  }

  return async function authenticate(authorization: string | null | undefined): Promise<Authentication> {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return { ...ANONYMOUS, error: new InvalidTokenError('Use o cabeçalho "Authorization: Bearer <token>".', 'invalid') };
    try {
      const claims = await verify(match[1]!);
      let id: number | null = null;
      if (claims.orgao) {
        id = await orgaoId(claims.orgao.repositorio, claims.orgao.estrutura);
        if (id === null) {
          throw new InvalidTokenError(
            `O órgão do token (repositório ${claims.orgao.repositorio}, estrutura ${claims.orgao.estrutura}) não está cadastrado.`,
            'invalid',
          );
        }
      }
      let spe: { codigo: string; orgaoIds: number[] } | null = null;
      if (claims.spe) {
        const ids = await orgaosDoSistema(claims.spe);
        if (ids === null) throw new InvalidTokenError(`O SPE do token (${claims.spe}) não está cadastrado.`, 'invalid');
        if (!claims.roles.includes('SPE')) throw new InvalidTokenError('Um token com `spe` tem o papel SPE.', 'invalid');
        if (id !== null && !ids.includes(id)) throw new InvalidTokenError(`O SPE ${claims.spe} não atende o órgão do token.`, 'invalid');
        spe = { codigo: claims.spe, orgaoIds: ids };
        // Serving one agency, it acts for it; serving several, each operation names one (`paraOrgao`).
        if (id === null && ids.length === 1) id = ids[0]!;
      }
      return {
        viewer: { sujeito: claims.sub, orgaoId: id, papeis: new Set(claims.roles), spe },
        error: null,
        expiresAt: claims.expiresAt,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) return { ...ANONYMOUS, error };
      throw error;
    }
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
