import { z } from 'zod';
import { loadTrustedDocuments } from './trusted-documents.js';
import { DIAS_PARA_CANCELAMENTO_AUTOMATICO } from './tramites/regras.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'use true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).positive(`${what} must be positive`);

/** A well-known secret for the embedded demo only; refused when a real database is configured. */
export const DEMO_JWT_SECRET = 'tramita-gateway-demo-secret-do-not-use-in-production';

const envSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number({ error: 'PORT must be a number' }).int().min(0).max(65535).default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .optional(),
    DATABASE_POOL_SIZE: positiveInt('DATABASE_POOL_SIZE').default(10),
    PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
    DEMO_SEED: booleanFromEnv.optional(),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must have at least 32 characters').optional(),
    JWT_PUBLIC_KEY: z
      .string()
      .refine((v) => v.includes('BEGIN PUBLIC KEY'), 'JWT_PUBLIC_KEY must be a PEM (-----BEGIN PUBLIC KEY-----)')
      .optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    INTROSPECTION_PUBLIC: booleanFromEnv.default(true),
    // A manifest file: read and checked here, so a bad one stops the start with its reason.
    TRUSTED_DOCUMENTS: z
      .string()
      .transform((path, ctx) => {
        try {
          return loadTrustedDocuments(path);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_GRACE_MS: positiveInt('SHUTDOWN_GRACE_MS').default(10_000),
    AUTO_CANCEL_ENABLED: booleanFromEnv.default(true),
    AUTO_CANCEL_INTERVAL_MS: positiveInt('AUTO_CANCEL_INTERVAL_MS').default(60_000),
    AUTO_CANCEL_DAYS: positiveInt('AUTO_CANCEL_DAYS').default(DIAS_PARA_CANCELAMENTO_AUTOMATICO),
    ONBOARDING_PRODUCTION_TEST_UNIT: z
      .string()
      .regex(/^\d+\/\d+$/, 'ONBOARDING_PRODUCTION_TEST_UNIT takes <repositorio>/<numero de identificacao>, e.g. 1/187432')
      .default('1/187432'),
    FEED_POLL_MS: positiveInt('FEED_POLL_MS').default(1_000),
    FEED_MAX_PENDING_EVENTS: positiveInt('FEED_MAX_PENDING_EVENTS').default(1_000),
    FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt('FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION').default(25),
    COMPONENT_MAX_BYTES: positiveInt('COMPONENT_MAX_BYTES')
      .max(2 ** 31 - 1, 'COMPONENT_MAX_BYTES must be below 2 GiB')
      .default(100 * 1024 * 1024),
    RECEIPT_SIGNING_KEY: z
      .string()
      .refine((v) => v.includes('BEGIN PRIVATE KEY'), 'RECEIPT_SIGNING_KEY must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)')
      .optional(),
    RECEIPT_SIGNING_ALG: z.enum(['ES256', 'RS256', 'EdDSA'], { error: 'RECEIPT_SIGNING_ALG: ES256, RS256 or EdDSA' }).default('ES256'),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'JWT_SECRET or JWT_PUBLIC_KEY is required when DATABASE_URL is set (the demo secret is for the embedded database only)',
      });
    }
    if (env.JWT_SECRET && env.JWT_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'set JWT_SECRET or JWT_PUBLIC_KEY, not both' });
    }
  });

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof envSchema>) {
  const embedded = !env.DATABASE_URL;
  return {
    host: env.HOST,
    port: env.PORT,
    database: embedded
      ? ({ kind: 'pglite', dataDir: env.PGLITE_DATA_DIR } as const)
      : ({ kind: 'postgres', url: env.DATABASE_URL!, poolSize: env.DATABASE_POOL_SIZE } as const),
    demoSeed: env.DEMO_SEED ?? embedded,
    jwt: env.JWT_PUBLIC_KEY
      ? ({ kind: 'public-key', publicKey: env.JWT_PUBLIC_KEY } as const)
      : ({ kind: 'secret', secret: env.JWT_SECRET ?? DEMO_JWT_SECRET, demo: !env.JWT_SECRET } as const),
    jwtIssuer: env.JWT_ISSUER,
    jwtAudience: env.JWT_AUDIENCE,
    introspectionPublic: env.INTROSPECTION_PUBLIC,
    trustedDocuments: env.TRUSTED_DOCUMENTS ?? null,
    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    onboarding: {
      // The production test counterpart (DISIS/MGI in the manual); configuration, as the FAQ has changed it.
      unidadeTesteProducao: {
        repositorio: Number(env.ONBOARDING_PRODUCTION_TEST_UNIT.split('/')[0]),
        numeroIdentificacao: Number(env.ONBOARDING_PRODUCTION_TEST_UNIT.split('/')[1]),
      },
    },
    feeds: {
      pollMs: env.FEED_POLL_MS,
      maxPendingEvents: env.FEED_MAX_PENDING_EVENTS,
      maxSubscriptionsPerConnection: env.FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
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

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `FOO= npm start` should not fail validation of FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  return toConfig(parsed.data);
}
