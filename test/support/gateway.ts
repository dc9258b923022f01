// The gateway on a fresh database, and a plain-fetch client: `startTestGateway` listens on
// 127.0.0.1:<free port> (feeds, WebSocket, shutdown, instances); `startTestApp` answers in process
// through Yoga's fetch, no socket (the read API and bad input).
import type { Ambiente } from '../../src/kernel/ambiente.js';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type CreateDatabaseOptions, type DatabaseHandle, type StatementTimeouts } from '../../src/db/client.js';
import { CHAVE_RECIBOS_DEMO } from '../../src/demo/chaves-spe.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { mintToken, type TokenClaims } from '../../src/identity/tokens.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Clock } from '../../src/kernel/clock.js';
import { createApp, type App } from '../../src/http/app.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/http/gateway.js';
import { demoAccount } from './accounts.js';
import type { TrustedDocuments } from '../../src/trusted-documents.js';
import { freshDatabase, type BackendName, type FreshDatabase } from './backends.js';

export const TEST_JWT_SECRET = 'test-secret-with-at-least-thirty-two-characters!';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }>;
}

export interface TestApp {
  backend: BackendName;
  database: DatabaseHandle;
  /** A request to /graphql (over the socket for a gateway, in process for an app). */
  fetch(init: RequestInit): Promise<Response>;
  /** POST /graphql with fetch. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  /** The same, asserting HTTP 200 and no GraphQL errors; returns `data`. */
  ok(query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, any>>;
  /** A token for the demo account with this subject (`sub`), e.g. 'pen.admin' (test/support/accounts.ts). */
  tokenOf(sujeito: string): Promise<string>;
  token(claims: TokenClaims, expiresIn?: string | number): Promise<string>;
  close(): Promise<void>;
}

export interface TestGateway extends TestApp {
  gateway: Gateway;
}

export interface InProcessTestApp extends TestApp {
  app: App;
}

/** The gateway configuration tests use; one place, so a new setting reaches every test. */
export function testGatewayConfig(
  options: {
    introspectionPublic?: boolean;
    maxPendingEvents?: number;
    feedPollMs?: number;
    trustedDocuments?: TrustedDocuments;
    limits?: Partial<GatewayOptions['config']['limits']>;
    componentMaxBytes?: number;
    /** The access request's PDF limit (small here, so a too-large one is cheap to send). */
    documentMaxBytes?: number;
    ambientePadrao?: Ambiente;
    /** Run homologação's test-counterpart worker, every this many ms (off unless a test asks for it). */
    contrapartesIntervalMs?: number;
    /** METRICS_TOKEN: serve GET /metrics with this bearer token (off unless a test asks for it). */
    metricsToken?: string;
  } = {},
): GatewayOptions['config'] {
  // The production defaults of every limit: the suite runs under the limits users get.
  const defaults = loadConfig({});
  return {
    // One exception: an idle keep-alive socket lives 60 s, not 5. Here fetch and the server share one event loop, which
    // PGlite's in-process work can block for seconds; a block that spans both expiries lets the client reuse a socket
    // the server closes the moment its loop turns again (a request lost as ECONNRESET).
    limits: { ...defaults.limits, keepAliveTimeoutMs: 60_000, ...options.limits },
    jwtLifetime: defaults.jwtLifetime,
    host: '127.0.0.1',
    port: 0,
    jwt: { kind: 'secret', secret: TEST_JWT_SECRET, demo: false },
    jwtIssuer: undefined,
    jwtAudience: undefined,
    introspectionPublic: options.introspectionPublic ?? true,
    trustedDocuments: options.trustedDocuments ?? null,
    shutdownGraceMs: 2_000,
    ambientePadrao: options.ambientePadrao ?? defaults.ambientePadrao,
    // The production default (graphql-jit) unless GRAPHQL_EXECUTOR says otherwise, so the suite can run under either.
    executor: loadConfig({ GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR }).executor,
    onboarding: {
      unidadeTesteProducao: { repositorio: 1, numeroIdentificacao: 187432 },
      documentoMaxBytes: options.documentMaxBytes ?? 64 * 1024,
    },
    componentes: { maxBytes: options.componentMaxBytes ?? 100 * 1024 * 1024 },
    // The key the demo seed signs its recibos de envio with, as `npm start` configures it.
    recibos: CHAVE_RECIBOS_DEMO,
    avisos: defaults.avisos,
    contrapartes: {
      enabled: options.contrapartesIntervalMs != null,
      intervaloMs: options.contrapartesIntervalMs ?? 1_000,
      chavePrivadaPem: null,
    },
    metrics: { token: options.metricsToken ?? null },
    feeds: { pollMs: options.feedPollMs ?? 1_000, maxPendingEvents: options.maxPendingEvents ?? 1_000, maxSubscriptionsPerConnection: 25 },
  };
}

export interface StartOptions {
  seed?: boolean;
  clock?: Clock;
  introspectionPublic?: boolean;
  onQuery?: CreateDatabaseOptions['onQuery'];
  maxPendingEvents?: number;
  /** The feeds' safety-net poll; statement-counting tests set it far beyond their run. */
  feedPollMs?: number;
  /** Trusted-documents mode (TRUSTED_DOCUMENTS); without it the gateway speaks automatic persisted queries. */
  trustedDocuments?: TrustedDocuments;
  limits?: Partial<GatewayOptions['config']['limits']>;
  /** COMPONENT_MAX_BYTES (default 100 MB). */
  componentMaxBytes?: number;
  /** Run homologação's test-counterpart worker in the gateway, every this many ms. */
  contrapartesIntervalMs?: number;
  /** PGlite only: a folder on disk instead of an in-memory database (pages then leave the WASM heap). */
  pgliteDataDir?: string;
  /** DATABASE_READ_TIMEOUT_MS / DATABASE_WRITE_TIMEOUT_MS (the production defaults otherwise). */
  statementTimeouts?: StatementTimeouts;
  /** METRICS_TOKEN (no /metrics without it). */
  metricsToken?: string;
  /** Where the gateway logs (silent otherwise). */
  logger?: Logger;
  /** postgres only: the pool's size (DATABASE_POOL_SIZE); one connection keeps the session's prepared statements in view. */
  poolSize?: number;
}

async function openTestDatabase(backend: BackendName, options: StartOptions) {
  const fresh: FreshDatabase =
    backend === 'pglite' && options.pgliteDataDir
      ? { options: { kind: 'pglite', dataDir: options.pgliteDataDir }, url: null, drop: async () => {} }
      : await freshDatabase(backend, { migrated: true });
  const withTimeouts = options.statementTimeouts ? { ...fresh.options, timeouts: options.statementTimeouts } : fresh.options;
  const database = await createDatabase(
    withTimeouts.kind === 'postgres' && options.poolSize ? { ...withTimeouts, poolSize: options.poolSize } : withTimeouts,
    { onQuery: options.onQuery },
  );
  const clock = options.clock ?? (() => new Date());
  if (options.seed ?? true) await seedDemoData(database.db, clock());
  return { fresh, database, clock };
}

/** The client half shared by both: requests, tokens, accounts. */
function testClient(
  backend: BackendName,
  database: DatabaseHandle,
  fetchGraphql: (init: RequestInit) => Promise<Response>,
  close: () => Promise<void>,
): TestApp {
  const token = (claims: TokenClaims, expiresIn?: string | number) => mintToken(TEST_JWT_SECRET, claims, { expiresIn });
  async function gql<T>(query: string, variables?: Record<string, unknown>, bearer?: string | null): Promise<GraphQLResponse<T>> {
    const response = await fetchGraphql({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, ...body };
  }
  return {
    backend,
    database,
    fetch: fetchGraphql,
    gql,
    async ok(query, variables, bearer) {
      const res = await gql(query, variables, bearer);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.status).toBe(200);
      return res.data!;
    },
    tokenOf(sujeito) {
      const account = demoAccount(sujeito);
      return token({ sub: account.sujeito, orgao: account.orgao, roles: account.papeis, spe: account.spe });
    },
    token,
    close,
  };
}

export async function startTestGateway(backend: BackendName, options: StartOptions = {}): Promise<TestGateway> {
  const { fresh, database, clock } = await openTestDatabase(backend, options);
  const gateway = await startGateway({
    config: testGatewayConfig(options),
    database,
    logger: options.logger ?? createLogger('silent'),
    clock,
  });
  const client = testClient(
    backend,
    database,
    (init) => fetch(gateway.url, init),
    async () => {
      await gateway.close();
      await database.close();
      await fresh.drop();
    },
  );
  return { ...client, gateway };
}

/** The same gateway without a socket: requests go straight to Yoga's fetch handler. */
export async function startTestApp(backend: BackendName, options: StartOptions = {}): Promise<InProcessTestApp> {
  const { fresh, database, clock } = await openTestDatabase(backend, options);
  const app = await createApp({ config: testGatewayConfig(options), database, logger: createLogger('silent'), clock });
  const client = testClient(
    backend,
    database,
    (init) => Promise.resolve(app.yoga.fetch('http://127.0.0.1/graphql', init)),
    async () => {
      await app.close();
      await database.close();
      await fresh.drop();
    },
  );
  return { ...client, app };
}
