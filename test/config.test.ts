// loadConfig: sensible defaults for the embedded demo, and every refusal names its variable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, DEMO_JWT_SECRET, loadConfig } from '../src/config.js';

const SECRET = 'a-production-secret-with-more-than-32-chars';
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  test('an empty environment is the embedded demo: PGlite, demo secret, demo seed', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({
      kind: 'pglite',
      dataDir: '.data/pglite',
      timeouts: { readMs: 10_000, writeMs: 5_000 },
      ambientePadrao: 'PRODUCAO',
    });
    expect(config.ambientePadrao).toBe('PRODUCAO');
    expect(config.jwt).toEqual({ kind: 'secret', secret: DEMO_JWT_SECRET, demo: true });
    expect(config.demoSeed).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4000);
    expect(config.introspectionPublic).toBe(true);
    expect(config.jwtIssuer).toBeUndefined();
    expect(config.jwtAudience).toBeUndefined();
    expect(config.autoCancel).toEqual({ enabled: true, intervalMs: 60_000, days: 8 });
    expect(config.metrics).toEqual({ token: null });
    expect(loadConfig({ METRICS_TOKEN: 'm'.repeat(32) }).metrics).toEqual({ token: 'm'.repeat(32) });
    expect(config.stuckAlerts).toEqual({ enabled: true, intervalMs: 60_000, thresholdsMinutes: [60, 90] });
    expect(loadConfig({ STUCK_ALERT_THRESHOLDS_MINUTES: ' 90, 30,90' }).stuckAlerts.thresholdsMinutes).toEqual([30, 90]);
    expect(config.shutdownGraceMs).toBeGreaterThan(0);
    expect(config.jwtLifetime).toEqual({ maxSeconds: 90 * 86_400, allowNoExp: false });
    expect(config.limits).toMatchObject({
      requestBodyBytes: 100_000,
      webSocketMessageBytes: 100_000,
      tokens: 1_000,
      aliases: 15,
      directives: 50,
      cost: 100_000,
    });
  });

  test('empty strings count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', JWT_SECRET: '' })).toEqual(loadConfig({}));
  });

  test('loadConfig does not read process.env when given an environment', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'not-a-port';
    try {
      expect(loadConfig({}).port).toBe(4000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  test('a real database with a real secret: no demo secret, no demo seed unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/tramita', JWT_SECRET: SECRET, PORT: '8080' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/tramita',
      poolSize: 10,
      timeouts: { readMs: 10_000, writeMs: 5_000 },
      ambientePadrao: 'PRODUCAO',
    });
    expect(config.jwt).toEqual({ kind: 'secret', secret: SECRET, demo: false });
    expect(config.demoSeed).toBe(false);
    expect(config.port).toBe(8080);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/t', JWT_SECRET: SECRET, DEMO_SEED: 'true' }).demoSeed).toBe(true);
  });

  test('a public key instead of a secret', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/t', JWT_PUBLIC_KEY: PEM });
    expect(config.jwt).toEqual({ kind: 'public-key', publicKey: PEM });
  });

  test('booleans accept true/false, 1/0, yes/no', () => {
    expect(loadConfig({ INTROSPECTION_PUBLIC: 'false' }).introspectionPublic).toBe(false);
    expect(loadConfig({ INTROSPECTION_PUBLIC: '0' }).introspectionPublic).toBe(false);
    expect(loadConfig({ INTROSPECTION_PUBLIC: 'no' }).introspectionPublic).toBe(false);
    expect(loadConfig({ DEMO_SEED: 'no' }).demoSeed).toBe(false);
    expect(loadConfig({ AUTO_CANCEL_ENABLED: '1' }).autoCancel.enabled).toBe(true);
  });
});

describe('refusals', () => {
  test('DATABASE_URL without JWT_SECRET fails, naming JWT_SECRET', () => {
    const error = configError({ DATABASE_URL: 'postgres://db/tramita' });
    expect(error.message).toContain('JWT_SECRET');
    expect(error.problems.some((p) => p.startsWith('JWT_SECRET'))).toBe(true);
  });

  test('a bad PORT names PORT', () => {
    for (const PORT of ['abc', '70000', '-1', '80.5']) {
      const error = configError({ PORT });
      expect(error.message, PORT).toContain('PORT');
      expect(error.problems, PORT).toHaveLength(1);
      expect(error.problems[0], PORT).toMatch(/^PORT\b/);
    }
  });

  test('a short JWT_SECRET names JWT_SECRET', () => {
    const error = configError({ JWT_SECRET: 'short' });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^JWT_SECRET\b/);
    expect(error.message).toContain('32');
  });

  test('JWT_SECRET and JWT_PUBLIC_KEY together are refused', () => {
    const error = configError({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY: PEM });
    expect(error.message).toMatch(/JWT_SECRET/);
    expect(error.message).toMatch(/JWT_PUBLIC_KEY/);
  });

  const BAD: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'http' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/tramita', JWT_SECRET: SECRET }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: 'many' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }],
    ['DEMO_SEED', { DEMO_SEED: 'maybe' }],
    ['JWT_SECRET', { JWT_SECRET: 'x'.repeat(31) }],
    ['JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: 'not a pem' }],
    ['INTROSPECTION_PUBLIC', { INTROSPECTION_PUBLIC: 'perhaps' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'too-short' }],
    ['SHUTDOWN_GRACE_MS', { SHUTDOWN_GRACE_MS: '-5' }],
    ['AUTO_CANCEL_ENABLED', { AUTO_CANCEL_ENABLED: 'sometimes' }],
    ['AUTO_CANCEL_INTERVAL_MS', { AUTO_CANCEL_INTERVAL_MS: 'soon' }],
    ['AUTO_CANCEL_DAYS', { AUTO_CANCEL_DAYS: '0' }],
    ['AUTO_CANCEL_DAYS', { AUTO_CANCEL_DAYS: '2.5' }],
    ['STUCK_ALERT_ENABLED', { STUCK_ALERT_ENABLED: 'sometimes' }],
    ['STUCK_ALERT_INTERVAL_MS', { STUCK_ALERT_INTERVAL_MS: '0' }],
    ['STUCK_ALERT_THRESHOLDS_MINUTES', { STUCK_ALERT_THRESHOLDS_MINUTES: 'an hour' }],
    ['STUCK_ALERT_THRESHOLDS_MINUTES', { STUCK_ALERT_THRESHOLDS_MINUTES: '60,0' }],
    ['MAX_REQUEST_BODY_BYTES', { MAX_REQUEST_BODY_BYTES: 'big' }],
    ['WS_MAX_MESSAGE_BYTES', { WS_MAX_MESSAGE_BYTES: '0' }],
    ['PARSE_CACHE_MAX_BYTES', { PARSE_CACHE_MAX_BYTES: '-5' }],
    ['HTTP_HEADERS_TIMEOUT_MS', { HTTP_HEADERS_TIMEOUT_MS: '3000000000' }],
    ['QUERY_MAX_TOKENS', { QUERY_MAX_TOKENS: '1.5' }],
    ['QUERY_MAX_ALIASES', { QUERY_MAX_ALIASES: 'many' }],
    ['QUERY_MAX_COST', { QUERY_MAX_COST: '0' }],
    ['EXECUTION_DEADLINE_MS', { EXECUTION_DEADLINE_MS: 'forever' }],
    ['DATABASE_WRITE_TIMEOUT_MS', { DATABASE_WRITE_TIMEOUT_MS: '0' }],
    ['JWT_MAX_LIFETIME_SECONDS', { JWT_MAX_LIFETIME_SECONDS: '0' }],
    ['JWT_ALLOW_NO_EXP', { JWT_ALLOW_NO_EXP: 'maybe' }],
    ['GRAPHQL_EXECUTOR', { GRAPHQL_EXECUTOR: 'fast' }],
    ['AMBIENTE_PADRAO', { AMBIENTE_PADRAO: 'TESTE' }],
    ['RECEIPT_SIGNING_ALG', { RECEIPT_SIGNING_ALG: 'HS256' }],
    ['RECEIPT_SIGNING_KEY', { RECEIPT_SIGNING_KEY: 'not a pem' }],
    ['TEST_COUNTERPART_SIGNING_KEY', { TEST_COUNTERPART_SIGNING_KEY: 'not a pem' }],
    ['ONBOARDING_PRODUCTION_TEST_UNIT', { ONBOARDING_PRODUCTION_TEST_UNIT: 'DISIS' }],
    ['COMPONENT_MAX_BYTES', { COMPONENT_MAX_BYTES: '3000000000' }],
    ['SMTP_URL', { SMTP_URL: 'mail.example' }],
    ['PEN_NOTICE_EMAIL', { PEN_NOTICE_EMAIL: 'pen' }],
    ['NOTICE_FROM_EMAIL', { NOTICE_FROM_EMAIL: 'gateway' }],
    ['FEED_POLL_MS', { FEED_POLL_MS: 'often' }],
    ['TEST_COUNTERPARTS_ENABLED', { TEST_COUNTERPARTS_ENABLED: 'perhaps' }],
  ];

  // The form is `NAME: what is wrong (what is expected)`, the name once: never `NAME: NAME …` or `NAME: NAME: …`.
  test.each(BAD)('every error message names its variable once: %s %j', (name, env) => {
    const error = configError(env);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem, problem).toMatch(new RegExp(`^${name}: [^()]+ \\(.+\\)$`));
      expect(problem.slice(name.length + 2), problem).not.toContain(name);
    }
    expect(error.message).toContain(`  - ${name}: `);
  });

  test('the exact message of several variables', () => {
    const problems = (env: Record<string, string>) => configError(env).problems;
    expect(problems({ GRAPHQL_EXECUTOR: 'fast' })).toEqual(['GRAPHQL_EXECUTOR: not an accepted value (jit or graphql-js)']);
    expect(problems({ AMBIENTE_PADRAO: 'TESTE' })).toEqual(['AMBIENTE_PADRAO: not an accepted value (HOMOLOGACAO or PRODUCAO)']);
    expect(problems({ RECEIPT_SIGNING_ALG: 'HS256' })).toEqual(['RECEIPT_SIGNING_ALG: not an accepted value (ES256, RS256 or EdDSA)']);
    expect(problems({ LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL: not an accepted value (fatal, error, warn, info, debug, trace or silent)',
    ]);
    expect(problems({ STUCK_ALERT_THRESHOLDS_MINUTES: '60,0' })).toEqual([
      'STUCK_ALERT_THRESHOLDS_MINUTES: a threshold is zero (every threshold positive)',
    ]);
    expect(problems({ PORT: 'http' })).toEqual(['PORT: not a number (a whole number from 0 to 65535)']);
    expect(problems({ DATABASE_POOL_SIZE: '0' })).toEqual(['DATABASE_POOL_SIZE: not positive (a positive whole number)']);
    expect(problems({ QUERY_MAX_TOKENS: '1.5' })).toEqual(['QUERY_MAX_TOKENS: not a whole number (a whole number from 1 to 1000000)']);
    expect(problems({ COMPONENT_MAX_BYTES: '3000000000' })).toEqual([
      'COMPONENT_MAX_BYTES: too large (a whole number from 1 to 2147483647)',
    ]);
    expect(problems({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET: too short (at least 32 characters)']);
    expect(problems({ DEMO_SEED: 'maybe' })).toEqual(['DEMO_SEED: not a boolean (true or false, 1 or 0, yes or no)']);
    expect(configError({ GRAPHQL_EXECUTOR: 'fast' }).message).toBe(
      'Invalid configuration:\n  - GRAPHQL_EXECUTOR: not an accepted value (jit or graphql-js)',
    );
  });

  test('several bad variables are all reported at once, each by name', () => {
    const error = configError({ PORT: 'x', LOG_LEVEL: 'loud', JWT_SECRET: 'short', DATABASE_POOL_SIZE: '-1' });
    const named = error.problems.map((p) => p.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_POOL_SIZE', 'JWT_SECRET', 'LOG_LEVEL', 'PORT']);
  });

  test('the error never echoes the secret', () => {
    const error = configError({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY: PEM });
    expect(error.message).not.toContain(SECRET);
    const short = configError({ JWT_SECRET: 'tiny-secret' });
    expect(short.message).not.toContain('tiny-secret');
  });
});

describe('TRUSTED_DOCUMENTS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tramita-trusted-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  test('reads the manifests GraphQL Code Generator and Apollo write', () => {
    const codegen = loadConfig({ TRUSTED_DOCUMENTS: file('codegen.json', { abc: 'query A { __typename }' }) });
    expect(codegen.trustedDocuments?.get('abc')).toBe('query A { __typename }');
    const apollo = loadConfig({
      TRUSTED_DOCUMENTS: file('apollo.json', {
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: 'def', name: 'B', type: 'query', body: 'query B { __typename }' }],
      }),
    });
    expect(apollo.trustedDocuments?.get('def')).toBe('query B { __typename }');
    expect(loadConfig({}).trustedDocuments).toBeNull();
  });

  test('a missing, unreadable, empty or malformed manifest is refused, naming the variable and the reason', () => {
    for (const [path, reason] of [
      [join(dir, 'missing.json'), /cannot read/],
      [file('garbage.json', '{ not json'), /cannot read .* as JSON/],
      [file('empty.json', {}), /lists no operation/],
      [file('wrong.json', { abc: 42 }), /neither/],
    ] as const) {
      const error = configError({ TRUSTED_DOCUMENTS: path });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0], path).toMatch(/^TRUSTED_DOCUMENTS: .+ \(a persisted-documents manifest from .+\)$/);
      expect(error.problems[0], path).toMatch(reason);
    }
  });
});
