import { importSPKI, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Config } from '../config.js';
import { PAPEIS, type Papel } from '../kernel/viewer.js';

/** Both numbers name int4 columns: a claim beyond them is refused here, never sent to SQL. */
const INT4_MAX = 2_147_483_647;
const identificador = (claim: string) =>
  z
    .number({ error: `\`${claim}\` deve ser um número` })
    .int(`\`${claim}\` deve ser inteiro`)
    .positive(`\`${claim}\` deve ser positivo`)
    .max(INT4_MAX, `\`${claim}\` fora do intervalo`);

/** The claims a Tramita gateway token carries, beyond `sub`. */
const claimsSchema = z.object({
  sub: z
    .string({ error: 'o token precisa de `sub`' })
    .min(1, 'o token precisa de `sub`')
    .max(256, '`sub` longo demais')
    .refine((v) => !v.includes('\u0000'), '`sub` com caractere nulo'),
  orgao: z
    .object({
      repositorio: identificador('orgao.repositorio'),
      estrutura: identificador('orgao.estrutura'),
    })
    .nullish(),
  roles: z.array(z.enum(PAPEIS)).min(1, 'o token precisa de ao menos um papel em `roles`'),
  spe: z.string().min(1, '`spe` vazio').max(100, '`spe` longo demais').nullish(),
});

export interface TokenClaims {
  sub: string;
  /** The agency the person or system acts for, by repositório and número de identificação. */
  orgao: { repositorio: number; estrutura: number } | null;
  roles: Papel[];
  /** An SPE's credential: the system's `codigo` (src/sistemas); it acts for each agency the system serves. */
  spe?: string | null;
}

export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'expired' | 'invalid',
  ) {
    super(message);
  }
}

export type TokenVerifier = (token: string) => Promise<TokenClaims & { expiresAt: Date | null }>;

export function createTokenVerifier(config: Pick<Config, 'jwt' | 'jwtIssuer' | 'jwtAudience' | 'jwtLifetime'>): TokenVerifier {
  const key: Promise<CryptoKey | Uint8Array> =
    config.jwt.kind === 'secret' ? Promise.resolve(new TextEncoder().encode(config.jwt.secret)) : importPublicKey(config.jwt.publicKey);
  const algorithms = config.jwt.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'];
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await key, {
        algorithms,
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('Token expirado.', 'expired');
      throw new InvalidTokenError('Token inválido (assinatura, emissor ou audiência não conferem).', 'invalid');
    }
    checkLifetime(payload, config.jwtLifetime);
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) {
      throw new InvalidTokenError(
        `Token sem as declarações esperadas: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
        'invalid',
      );
    }
    return {
      sub: parsed.data.sub,
      orgao: parsed.data.orgao ?? null,
      roles: parsed.data.roles,
      spe: parsed.data.spe ?? null,
      expiresAt: payload.exp ? new Date(payload.exp * 1000) : null,
    };
  };
}

type VerifiedToken = Awaited<ReturnType<TokenVerifier>>;

/**
 * Remembers tokens that verified, keyed by the token string, so a client sending the same token on every request pays
 * the signature check (and the claims' validation) once, not per request. Bounded to `max` tokens (least recently used
 * leave first); an entry is used only until the token's `exp`, after which the token is verified again (and refused
 * as expired). Refusals are not remembered: a bad token costs its check every time and never fills the cache. This
 * caches the identity a token proves, never an answer.
 */
export function cachedTokenVerifier(verify: TokenVerifier, options: { max: number; now?: () => number }): TokenVerifier {
  const now = options.now ?? Date.now;
  const verified = new LRUCache<string, VerifiedToken>({ max: options.max });
  return async (token) => {
    const known = verified.get(token);
    if (known && (known.expiresAt === null || known.expiresAt.getTime() > now())) return known;
    const result = await verify(token);
    verified.set(token, result);
    return result;
  };
}

/**
 * A token must say when it expires (unless configured otherwise) and live at most `maxSeconds`,
 * counted from `iat` when it has one (from now otherwise).
 */
function checkLifetime(payload: JWTPayload, lifetime: Config['jwtLifetime']): void {
  if (payload.exp === undefined) {
    if (lifetime.allowNoExp) return;
    throw new InvalidTokenError('Token sem data de expiração (`exp`): não é aceito.', 'invalid');
  }
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : Date.now() / 1000;
  if (payload.exp - issuedAt > lifetime.maxSeconds) {
    throw new InvalidTokenError(`Token válido por tempo demais: o máximo é ${lifetime.maxSeconds} s.`, 'invalid');
  }
}

/** An RSA (RS256) or EC P-256 (ES256) public key in PEM. */
async function importPublicKey(pem: string): Promise<CryptoKey> {
  try {
    return await importSPKI(pem, 'RS256');
  } catch {
    return importSPKI(pem, 'ES256');
  }
}

/** Signs an HS256 token (demo and tests; production tokens come from the identity provider). */
export function mintToken(
  secret: string,
  claims: TokenClaims,
  options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ orgao: claims.orgao, roles: claims.roles, ...(claims.spe ? { spe: claims.spe } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
