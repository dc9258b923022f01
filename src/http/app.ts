/**
 * The gateway as a fetch handler: Yoga with the schema, the context every resolver gets and the
 * plugin list, over this instance's event buses. No socket here: `gateway.ts` serves it over
 * node:http and `websocket.ts` over graphql-ws; tests call `app.yoga.fetch` in process.
 */
import type { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { databaseFault } from '../db/faults.js';
import { Barramento } from '../feeds/barramento.js';
import { createAuthenticator, type Authentication, type Authenticator } from '../identity/authenticate.js';
import { cachedTokenVerifier, createTokenVerifier } from '../identity/tokens.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import type { Logger } from '../logger.js';
import { fonteEventosOnboarding } from '../onboarding/feed.js';
import type { Feeds, GatewayContext } from '../schema/context.js';
import { fonteEventosTramite } from '../tramites/feed.js';
import { fonteAlertasParados } from '../tramites/alertas-parados.js';
import { authGate } from './plugins/auth-gate.js';
import { authenticateBeforeParse, oncePerRequest } from './plugins/authenticate-before-parse.js';
import { compression } from './plugins/compression.js';
import { compiledExecution } from './plugins/compiled-execution.js';
import { depthLimit } from './plugins/depth-limit.js';
import { executionDeadline } from './plugins/execution-deadline.js';
import { graphiqlPage } from './plugins/graphiql.js';
import { graphqlMetrics } from './plugins/metrics.js';
import { criarMetricas, type Metricas } from './metrics.js';
import { requestIdFrom } from './request-id.js';
import { GRAPHIQL_OPTIONS } from './plugins/graphiql-tabs.js';
import { hideSuggestions } from './plugins/hide-suggestions.js';
import { inputErrorCodes } from './plugins/input-errors.js';
import { refuseNullBytes } from './plugins/null-bytes.js';
import { operationLog } from './plugins/operation-log.js';
import { boundedParseCaches } from './plugins/parse-cache.js';
import { persistedOperations } from './plugins/persisted-operations.js';
import { queryCost } from './plugins/query-cost.js';
import { queryShapeLimits } from './plugins/query-shape-limits.js';
import { requestParseErrors } from './plugins/request-parse-errors.js';
import { sharedEventExecution } from './plugins/shared-event-execution.js';
import { schema } from './schema.js';
import type { DestinoAoVivo } from './websocket-broadcast.js';
import { comporServicos, type Servicos } from './servicos.js';
import { agendarPeriodicamente } from '../tramites/cancelamento-automatico.js';

export interface AppOptions {
  config: Pick<
    Config,
    | 'jwt'
    | 'jwtIssuer'
    | 'jwtAudience'
    | 'introspectionPublic'
    | 'trustedDocuments'
    | 'feeds'
    | 'onboarding'
    | 'limits'
    | 'jwtLifetime'
    | 'componentes'
    | 'recibos'
    | 'avisos'
    | 'contrapartes'
    | 'ambientePadrao'
    | 'metrics'
    | 'executor'
  >;
  database: DatabaseHandle;
  logger: Logger;
  clock?: Clock;
}

/** What the WebSocket server adds to Yoga's server context: the connection's authentication and how to close it. */
export interface WebSocketServerContext {
  wsAuth?: Authentication;
  encerrarConexao?: GatewayContext['encerrarConexao'];
  /** graphql-ws only: the subscription's way into its live broadcast group. */
  aoVivoWs?: DestinoAoVivo;
  /** A GraphQL multipart request's file parts (graphql-multipart.ts), for the upload mutation. */
  arquivosDoPedido?: GatewayContext['arquivosDoPedido'];
}

export interface App {
  yoga: ReturnType<typeof createYoga<WebSocketServerContext, GatewayContext>>;
  authenticate: Authenticator;
  feeds: Feeds;
  /** The domains' commands, for the plain HTTP routes (component upload and download). */
  servicos: Servicos;
  /** The Prometheus metrics, when METRICS_TOKEN is set. */
  metricas: Metricas | null;
  /** Stops the event buses. */
  close(): Promise<void>;
}

const DEPTH_LIMITS = { maxDepth: 12, maxIntrospectionDepth: 15 };
/** Verified tokens remembered per instance (a few hundred bytes each): more than the clients one instance serves. */
const VERIFIED_TOKENS_KEPT = 10_000;

export async function createApp({ config, database, logger, clock = systemClock }: AppOptions): Promise<App> {
  const verify = cachedTokenVerifier(createTokenVerifier(config), { max: VERIFIED_TOKENS_KEPT });
  const authenticate = createAuthenticator(verify, database.db);
  const feeds: Feeds = {
    tramites: new Barramento(database, fonteEventosTramite(database.db), logger, { pollMs: config.feeds.pollMs }),
    onboarding: new Barramento(database, fonteEventosOnboarding(database.db), logger, { pollMs: config.feeds.pollMs }),
    alertas: new Barramento(database, fonteAlertasParados(database.db), logger, { pollMs: config.feeds.pollMs }),
    limiteFila: config.feeds.maxPendingEvents,
  };
  await Promise.all([feeds.tramites.iniciar(), feeds.onboarding.iniciar(), feeds.alertas.iniciar()]);
  const servicos = comporServicos(database.db, config);
  const { tramites, onboarding, contrapartes, configuracaoEstrutura } = servicos;
  // Homologação's test counterparts act in every instance that runs the worker (rows taken with SKIP LOCKED). The
  // first run waits one interval: at start-up it would compete with the first requests (PGlite has one connection)
  // and, on a new database, generate the counterparts' RSA key.
  const trabalhoContrapartes = config.contrapartes.enabled
    ? agendarPeriodicamente(
        async () => {
          const { movidos, falhas } = await contrapartes.processar(clock());
          if (movidos > 0) logger.info({ movidos }, 'test counterparts: trâmites moved');
          for (const { tramiteId, erro } of falhas)
            logger.warn({ tramiteId, err: erro }, 'test counterparts: step failed; retried next run');
        },
        {
          intervaloMs: config.contrapartes.intervaloMs,
          primeiraEmMs: config.contrapartes.intervaloMs,
          logger,
          nome: 'test counterparts',
        },
      )
    : null;
  const metricas = config.metrics.token ? criarMetricas({ database, feeds, logger, documentosConfiaveis: config.trustedDocuments }) : null;
  // One authentication per HTTP request, shared by the plugins that need it before the context exists.
  const authenticateRequest = oncePerRequest(authenticate);
  const { limits } = config;
  const mascararErro = (error: unknown, message: string, isDev?: boolean): Error => {
    // Unexpected errors reach clients as "Unexpected error."; the log keeps the real cause.
    // Expected ones (coded GraphQL errors) pass through unchanged and are not logged as failures.
    const fault = databaseFault((error as { originalError?: unknown }).originalError ?? error);
    if (fault) {
      logger.warn(
        { err: (error as { originalError?: unknown }).originalError ?? error, code: fault.extensions.code },
        'database fault in operation',
      );
      return fault;
    }
    const masked = maskError(error, message, isDev);
    if (masked !== error)
      logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error in operation');
    return masked;
  };

  /**
   * The request's logger. Ids only, never the token: who asked (subject, agency id, roles) and which request. With
   * logging off (LOG_LEVEL=silent) nothing can be written, so no child is built (its bindings are serialised at once).
   */
  const registroDoPedido = (auth: Authentication, request: Request | undefined): Logger => {
    if (!logger.isLevelEnabled('fatal')) return logger;
    const requestId = requestIdFrom(request?.headers.get('x-request-id'));
    return logger.child(
      auth.viewer
        ? { requestId, viewer: auth.viewer.sujeito, orgaoId: auth.viewer.orgaoId, papeis: [...auth.viewer.papeis] }
        : { requestId },
    );
  };

  const yoga = createYoga<WebSocketServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maxRequestBodySize: limits.requestBodyBytes,
    parserAndValidationCache: boundedParseCaches(limits.parseCacheBytes),
    // GraphiQL is served by graphiqlPage below: a small page and cacheable, precompressed files.
    graphiql: false,
    logging: {
      debug: (...args) => logger.debug({ yoga: args }),
      info: (...args) => logger.info({ yoga: args }),
      warn: (...args) => logger.warn({ yoga: args }),
      error: (...args) => logger.error({ yoga: args }),
    },
    maskedErrors: { maskError: mascararErro },
    context: async (initial): Promise<GatewayContext & { authError: Error | null }> => {
      const auth = initial.wsAuth ?? (await (initial.request ? authenticateRequest(initial.request) : authenticate(null)));
      // Over WebSocket there is no Request: the connection was authenticated at connection_init.
      return {
        db: database.db,
        viewer: auth.viewer,
        authError: auth.error,
        clock,
        ambientePadrao: config.ambientePadrao,
        feeds,
        tramites,
        onboarding,
        contrapartes,
        configuracaoEstrutura,
        expiresAt: auth.expiresAt,
        encerrarConexao: initial.encerrarConexao,
        arquivosDoPedido: initial.arquivosDoPedido,
        log: registroDoPedido(auth, initial.request),
      };
    },
    plugins: [
      graphiqlPage({ endpoint: '/graphql', graphiql: GRAPHIQL_OPTIONS, brotliQuality: 9 }),
      compression({ minBytes: 1024, brotliQuality: 4 }),
      persistedOperations({ trustedDocuments: config.trustedDocuments }),
      requestParseErrors(),
      // Before every plugin that refuses at execution (auth gate, cost, null bytes): envelop ends the
      // execute hooks at a refusal, but earlier plugins still see its result.
      operationLog({ logger }),
      ...(metricas ? [graphqlMetrics({ metricas })] : []),
      authenticateBeforeParse({
        authenticate: authenticateRequest,
        introspectionPublic: config.introspectionPublic,
        maxAnonymousTokens: limits.tokens,
      }),
      queryShapeLimits({ tokens: limits.tokens, aliases: limits.aliases, directives: limits.directives }),
      authGate({ introspectionPublic: config.introspectionPublic }),
      depthLimit(DEPTH_LIMITS),
      // Suggestions spell out the schema: only for authenticated clients, and never when introspection is private.
      hideSuggestions({ showTo: async (request) => config.introspectionPublic && (await authenticateRequest(request)).viewer !== null }),
      refuseNullBytes(),
      queryCost({ maxCost: limits.cost }),
      // Before the deadline, which wraps whatever execute function is set when its hook runs.
      ...(config.executor === 'jit' ? [compiledExecution()] : []),
      executionDeadline({ ms: limits.executionDeadlineMs }),
      inputErrorCodes(),
      sharedEventExecution({ maskError: (error) => mascararErro(error, 'Unexpected error.') as GraphQLError }),
    ],
  });

  return {
    yoga,
    authenticate,
    feeds,
    servicos,
    metricas,
    async close() {
      await trabalhoContrapartes?.parar();
      await Promise.all([feeds.tramites.parar(), feeds.onboarding.parar(), feeds.alertas.parar()]);
    },
  };
}
