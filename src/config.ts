import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { AMBIENTES } from './kernel/ambiente.js';
import { loadTrustedDocuments } from './trusted-documents.js';
import { DIAS_PARA_CANCELAMENTO_AUTOMATICO, LIMIARES_ALERTA_PARADO_MINUTOS } from './tramites/regras.js';

// Every message below says what is wrong and, in parentheses, what is expected; loadConfig prefixes the variable's
// name (the issue's path) once, so a message never names its own variable.

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'not a boolean (true or false, 1 or 0, yes or no)' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number from 1, and up to `max` when given (a byte size or a duration past it is a typo, not a setting). */
const positiveInt = (max?: number) => {
  const expected = max === undefined ? 'a positive whole number' : `a whole number from 1 to ${max}`;
  const n = z.coerce
    .number({ error: `not a number (${expected})` })
    .int(`not a whole number (${expected})`)
    .positive(`not positive (${expected})`);
  return max === undefined ? n : n.max(max, `too large (${expected})`);
};

/** One of a fixed list of words, the list spelled out in the message. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `not an accepted value (${values.slice(0, -1).join(', ')} or ${values.at(-1)})` });

/** setTimeout's largest delay (stack.md trap 19); every duration setting stays below it. */
const MAX_TIMER_MS = 2_147_483_647;

/** A well-known secret for the embedded demo only; refused when a real database is configured. */
export const DEMO_JWT_SECRET = 'tramita-gateway-demo-secret-do-not-use-in-production';

const envSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce
      .number({ error: 'not a number (a whole number from 0 to 65535)' })
      .int('not a whole number (a whole number from 0 to 65535)')
      .min(0, 'out of range (a whole number from 0 to 65535)')
      .max(65535, 'out of range (a whole number from 0 to 65535)')
      .default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'not a PostgreSQL URL (postgres://… or postgresql://…)')
      .optional(),
    DATABASE_POOL_SIZE: positiveInt().default(10),
    PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
    DEMO_SEED: booleanFromEnv.optional(),
    JWT_SECRET: z.string().min(32, 'too short (at least 32 characters)').optional(),
    JWT_PUBLIC_KEY: z
      .string()
      .refine((v) => v.includes('BEGIN PUBLIC KEY'), 'not a PEM public key (-----BEGIN PUBLIC KEY-----)')
      .optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    JWT_MAX_LIFETIME_SECONDS: positiveInt(10 * 365 * 86_400).default(90 * 86_400),
    JWT_ALLOW_NO_EXP: booleanFromEnv.default(false),
    INTROSPECTION_PUBLIC: booleanFromEnv.default(true),
    // A manifest file: read and checked here, so a bad one stops the start with its reason.
    TRUSTED_DOCUMENTS: z
      .string()
      .transform((path, ctx) => {
        try {
          return loadTrustedDocuments(path);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `${(error as Error).message} (a persisted-documents manifest from GraphQL Code Generator or Apollo)`,
          });
          return z.NEVER;
        }
      })
      .optional(),
    // Bearer token Prometheus sends to GET /metrics; unset: no metrics endpoint (and no per-request metrics work).
    METRICS_TOKEN: z.string().min(32, 'too short (at least 32 characters)').optional(),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_GRACE_MS: positiveInt().default(10_000),
    ACCESS_REQUEST_DOCUMENT_MAX_BYTES: positiveInt(1024 * 1024 * 1024).default(10 * 1024 * 1024),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'not an SMTP URL (smtp://host:port or smtps://user:pass@host:port)')
      .optional(),
    PEN_NOTICE_EMAIL: z.email('not an e-mail address (name@domain)').default('processo.eletronico@gestao.gov.br'),
    NOTICE_FROM_EMAIL: z.email('not an e-mail address (name@domain)').default('gateway@tramita.localhost'),
    NOTICE_RETRY_MS: positiveInt(MAX_TIMER_MS).default(30_000),
    AUTO_CANCEL_ENABLED: booleanFromEnv.default(true),
    AUTO_CANCEL_INTERVAL_MS: positiveInt().default(60_000),
    AUTO_CANCEL_DAYS: positiveInt().default(DIAS_PARA_CANCELAMENTO_AUTOMATICO),
    STUCK_ALERT_ENABLED: booleanFromEnv.default(true),
    STUCK_ALERT_INTERVAL_MS: positiveInt(MAX_TIMER_MS).default(60_000),
    STUCK_ALERT_THRESHOLDS_MINUTES: z
      .string()
      .regex(/^\s*\d{1,6}\s*(,\s*\d{1,6}\s*){0,9}$/, 'not a list of minute counts (up to 10 whole numbers separated by commas, e.g. 60,90)')
      .transform((v) => [...new Set(v.split(',').map((m) => Number(m.trim())))].sort((a, b) => a - b))
      .refine((ms) => ms.every((m) => m > 0), 'a threshold is zero (every threshold positive)')
      .default([...LIMIARES_ALERTA_PARADO_MINUTOS]),
    AMBIENTE_PADRAO: oneOf(AMBIENTES).default('PRODUCAO'),
    ONBOARDING_PRODUCTION_TEST_UNIT: z
      .string()
      .regex(/^\d+\/\d+$/, 'not a unit reference (<repositorio>/<numero de identificacao>, e.g. 1/187432)')
      .default('1/187432'),
    FEED_POLL_MS: positiveInt().default(1_000),
    FEED_MAX_PENDING_EVENTS: positiveInt().default(1_000),
    FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt().default(25),
    MAX_REQUEST_BODY_BYTES: positiveInt(100_000_000).default(100_000),
    WS_MAX_MESSAGE_BYTES: positiveInt(100_000_000).default(100_000),
    PARSE_CACHE_MAX_BYTES: positiveInt(1_000_000_000).default(4_000_000),
    HTTP_HEADERS_TIMEOUT_MS: positiveInt(MAX_TIMER_MS).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt(MAX_TIMER_MS).default(30_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(MAX_TIMER_MS).default(5_000),
    QUERY_MAX_TOKENS: positiveInt(1_000_000).default(1_000),
    QUERY_MAX_ALIASES: positiveInt(100_000).default(15),
    QUERY_MAX_DIRECTIVES: positiveInt(100_000).default(50),
    QUERY_MAX_COST: positiveInt(1_000_000_000).default(100_000),
    EXECUTION_DEADLINE_MS: positiveInt(MAX_TIMER_MS).default(15_000),
    // How queries and mutations execute: compiled per document (graphql-jit) or interpreted (graphql-js); subscriptions always interpreted.
    GRAPHQL_EXECUTOR: oneOf(['jit', 'graphql-js']).default('jit'),
    DATABASE_READ_TIMEOUT_MS: positiveInt(MAX_TIMER_MS).default(10_000),
    DATABASE_WRITE_TIMEOUT_MS: positiveInt(MAX_TIMER_MS).default(5_000),
    COMPONENT_MAX_BYTES: positiveInt(2 ** 31 - 1).default(100 * 1024 * 1024),
    RECEIPT_SIGNING_KEY: z
      .string()
      .refine((v) => v.includes('BEGIN PRIVATE KEY'), 'not a private key (a PKCS#8 PEM, -----BEGIN PRIVATE KEY-----)')
      .optional(),
    TEST_COUNTERPARTS_ENABLED: booleanFromEnv.default(true),
    TEST_COUNTERPARTS_INTERVAL_MS: positiveInt(MAX_TIMER_MS).default(5_000),
    TEST_COUNTERPART_SIGNING_KEY: z
      .string()
      .refine((v) => {
        try {
          const chave = createPrivateKey(v);
          return chave.asymmetricKeyType === 'rsa' && (chave.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
        } catch {
          return false;
        }
      }, 'not a usable RSA private key (RSA of at least 2048 bits, PKCS#8 PEM, -----BEGIN PRIVATE KEY-----)')
      .optional(),
    RECEIPT_SIGNING_ALG: oneOf(['ES256', 'RS256', 'EdDSA']).default('ES256'),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'missing while DATABASE_URL is set (JWT_SECRET or JWT_PUBLIC_KEY; the demo secret is for the embedded database only)',
      });
    }
    if (env.JWT_SECRET && env.JWT_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'set together with JWT_SECRET (one of the two, not both)' });
    }
  });

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof envSchema>) {
  const embedded = !env.DATABASE_URL;
  const timeouts = { readMs: env.DATABASE_READ_TIMEOUT_MS, writeMs: env.DATABASE_WRITE_TIMEOUT_MS };
  return {
    host: env.HOST,
    port: env.PORT,
    database: embedded
      ? ({ kind: 'pglite', dataDir: env.PGLITE_DATA_DIR, timeouts, ambientePadrao: env.AMBIENTE_PADRAO } as const)
      : ({
          kind: 'postgres',
          url: env.DATABASE_URL!,
          poolSize: env.DATABASE_POOL_SIZE,
          timeouts,
          ambientePadrao: env.AMBIENTE_PADRAO,
        } as const),
    demoSeed: env.DEMO_SEED ?? embedded,
    jwt: env.JWT_PUBLIC_KEY
      ? ({ kind: 'public-key', publicKey: env.JWT_PUBLIC_KEY } as const)
      : ({ kind: 'secret', secret: env.JWT_SECRET ?? DEMO_JWT_SECRET, demo: !env.JWT_SECRET } as const),
    jwtIssuer: env.JWT_ISSUER,
    jwtAudience: env.JWT_AUDIENCE,
    jwtLifetime: { maxSeconds: env.JWT_MAX_LIFETIME_SECONDS, allowNoExp: env.JWT_ALLOW_NO_EXP },
    introspectionPublic: env.INTROSPECTION_PUBLIC,
    trustedDocuments: env.TRUSTED_DOCUMENTS ?? null,
    logLevel: env.LOG_LEVEL,
    metrics: { token: env.METRICS_TOKEN ?? null },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    // The environment a read or a start is about when the request names none (never both at once).
    ambientePadrao: env.AMBIENTE_PADRAO,
    onboarding: {
      // The production test counterpart (DISIS/MGI in the manual); configuration, as the FAQ has changed it.
      unidadeTesteProducao: {
        repositorio: Number(env.ONBOARDING_PRODUCTION_TEST_UNIT.split('/')[0]),
        numeroIdentificacao: Number(env.ONBOARDING_PRODUCTION_TEST_UNIT.split('/')[1]),
      },
      // The access request's supporting PDF, checked while it streams in.
      documentoMaxBytes: env.ACCESS_REQUEST_DOCUMENT_MAX_BYTES,
    },
    feeds: {
      pollMs: env.FEED_POLL_MS,
      maxPendingEvents: env.FEED_MAX_PENDING_EVENTS,
      maxSubscriptionsPerConnection: env.FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
    limits: {
      requestBodyBytes: env.MAX_REQUEST_BODY_BYTES,
      webSocketMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      parseCacheBytes: env.PARSE_CACHE_MAX_BYTES,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      tokens: env.QUERY_MAX_TOKENS,
      aliases: env.QUERY_MAX_ALIASES,
      directives: env.QUERY_MAX_DIRECTIVES,
      cost: env.QUERY_MAX_COST,
      executionDeadlineMs: env.EXECUTION_DEADLINE_MS,
    },
    executor: env.GRAPHQL_EXECUTOR,
    componentes: {
      // Per digital component, checked on the declaration and while the bytes stream in.
      maxBytes: env.COMPONENT_MAX_BYTES,
    },
    recibos: {
      // Without a key one is generated at start (the embedded demo): its receipts verify while this process
      // runs. Several instances on one DATABASE_URL must share RECEIPT_SIGNING_KEY.
      pem: env.RECEIPT_SIGNING_KEY ?? null,
      alg: env.RECEIPT_SIGNING_ALG,
    },
    avisos: {
      // Without SMTP_URL notices stay in the outbox (visible to PEN in GraphQL) until one is configured.
      smtpUrl: env.SMTP_URL ?? null,
      para: env.PEN_NOTICE_EMAIL,
      de: env.NOTICE_FROM_EMAIL,
      // The delivery worker's poll interval and the first retry delay (doubling after each failure).
      intervaloMs: env.NOTICE_RETRY_MS,
    },
    stuckAlerts: {
      enabled: env.STUCK_ALERT_ENABLED,
      intervalMs: env.STUCK_ALERT_INTERVAL_MS,
      thresholdsMinutes: env.STUCK_ALERT_THRESHOLDS_MINUTES,
    },
    contrapartes: {
      // Homologação's automatic test counterparts: the worker in this instance, and their SPE key (null: generated
      // once per deployment and kept in the database, so every instance signs with the same one).
      enabled: env.TEST_COUNTERPARTS_ENABLED,
      intervaloMs: env.TEST_COUNTERPARTS_INTERVAL_MS,
      chavePrivadaPem: env.TEST_COUNTERPART_SIGNING_KEY ?? null,
    },
    autoCancel: {
      enabled: env.AUTO_CANCEL_ENABLED,
      intervalMs: env.AUTO_CANCEL_INTERVAL_MS,
      days: env.AUTO_CANCEL_DAYS,
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `NAME: what is wrong (what is expected)`: the variable's name comes from the issue's path, here only. */
function problemOf(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || '(environment)'}: ${issue.message}`;
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `FOO= npm start` should not fail validation of FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(problemOf));
  }
  return toConfig(parsed.data);
}
