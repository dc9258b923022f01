import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { createAuthenticator, type Authentication } from '../identity/authenticate.js';
import { createTokenVerifier } from '../identity/tokens.js';
import type { Logger } from '../logger.js';
import { schema } from '../schema/index.js';
import { authGate } from './auth-gate.js';
import type { Clock, Feeds, GatewayContext } from './context.js';
import { Barramento } from '../feeds/barramento.js';
import { CODIGO_FECHAMENTO } from '../feeds/contexto.js';
import { fonteEventosTramite } from '../tramites/feed.js';
import { fonteEventosOnboarding } from '../onboarding/feed.js';
import { verificadorDeRequisitos } from '../onboarding/servico.js';
import { depthLimit } from './depth-limit.js';
import { databaseFault } from '../db/faults.js';
import { runAt } from '../feeds/long-timeout.js';
import { authenticateBeforeParse, oncePerRequest } from './authenticate-before-parse.js';
import { executionDeadline } from './execution-deadline.js';
import { refuseNullBytes } from './null-bytes.js';
import { boundedParseCaches } from './parse-cache.js';
import { queryCost } from './query-cost.js';
import { queryShapeLimits } from './query-shape-limits.js';
import { requestParseErrors } from './request-parse-errors.js';
import { inputErrorCodes } from './input-errors.js';
import { sharedEventExecution } from './shared-event-execution.js';

export interface GatewayOptions {
  config: Pick<Config, 'host' | 'port' | 'jwt' | 'jwtIssuer' | 'jwtAudience' | 'introspectionPublic' | 'shutdownGraceMs' | 'feeds' | 'onboarding' | 'limits' | 'jwtLifetime'>;
  database: DatabaseHandle;
  logger: Logger;
  clock?: Clock;
}

export interface Gateway {
  /** The URL of `/graphql` once listening. */
  url: string;
  port: number;
  feeds: Feeds;
  close(): Promise<void>;
}

const MAX_QUERY_DEPTH = 12;

/** One node:http server: Yoga for HTTP (and SSE) on /graphql, graphql-ws on the same path, /health and /ready. */
export async function startGateway({ config, database, logger, clock = () => new Date() }: GatewayOptions): Promise<Gateway> {
  const authenticate = createAuthenticator(createTokenVerifier(config), database.db);
  const authenticateRequest = oncePerRequest(authenticate);
  const { limits } = config;
  let draining = false;
  const feeds: Feeds = {
    tramites: new Barramento(database, fonteEventosTramite(database.db), logger, { pollMs: config.feeds.pollMs }),
    onboarding: new Barramento(database, fonteEventosOnboarding(database.db), logger, { pollMs: config.feeds.pollMs }),
    limiteFila: config.feeds.maxPendingEvents,
  };
  await Promise.all([feeds.tramites.iniciar(), feeds.onboarding.iniciar()]);
  const efeitosAposPasso = [verificadorDeRequisitos(config.onboarding.unidadeTesteProducao)];

  const yoga = createYoga<
    { wsAuth?: Authentication; encerrarConexao?: GatewayContext['encerrarConexao'] },
    GatewayContext
  >({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maxRequestBodySize: limits.requestBodyBytes,
    parserAndValidationCache: boundedParseCaches(limits.parseCacheBytes),
    graphiql: { title: 'Tramita.GOV.BR — gateway GraphQL', subscriptionsProtocol: 'WS' },
    // GraphiQL's script and styles served by the gateway itself, not fetched from a CDN.
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug({ yoga: args }),
      info: (...args) => logger.info({ yoga: args }),
      warn: (...args) => logger.warn({ yoga: args }),
      error: (...args) => logger.error({ yoga: args }),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        // Unexpected errors reach clients as "Unexpected error."; the log keeps the real cause.
        // Expected ones (coded GraphQL errors) pass through unchanged and are not logged as failures.
        const fault = databaseFault((error as { originalError?: unknown }).originalError ?? error);
        if (fault) {
          logger.warn({ err: (error as { originalError?: unknown }).originalError ?? error, code: fault.extensions.code }, 'database fault in operation');
          return fault;
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error in operation');
        return masked;
      },
    },
    context: async (initial): Promise<GatewayContext & { authError: Error | null }> => {
      const auth = initial.wsAuth ?? (await (initial.request ? authenticateRequest(initial.request) : authenticate(null)));
      // Over WebSocket there is no Request: the connection was authenticated at connection_init.
      const requestId = initial.request?.headers.get('x-request-id') ?? randomUUID();
      return {
        db: database.db,
        viewer: auth.viewer,
        authError: auth.error,
        clock,
        feeds,
        efeitosAposPasso,
        tokenExpiraEm: auth.expiresAt,
        encerrarConexao: initial.encerrarConexao,
        log: logger.child({ requestId, viewer: auth.viewer?.sujeito }),
      };
    },
    plugins: [
      requestParseErrors(),
      authenticateBeforeParse({ authenticate: authenticateRequest, introspectionPublic: config.introspectionPublic, maxAnonymousTokens: limits.tokens }),
      queryShapeLimits({ tokens: limits.tokens, aliases: limits.aliases, directives: limits.directives }),
      authGate({ introspectionPublic: config.introspectionPublic }),
      depthLimit(MAX_QUERY_DEPTH),
      refuseNullBytes(),
      queryCost({ maxCost: limits.cost }),
      executionDeadline({ ms: limits.executionDeadlineMs }),
      inputErrorCodes(),
      sharedEventExecution(),
      operationLog(),
    ],
  });

  // Timeouts are checked every second (Node's default is every 30 s), so they hold close to their value.
  const httpServer = createServer({ connectionsCheckingInterval: 1_000 }, (req: IncomingMessage, res: ServerResponse) => {
    // While draining, a keep-alive connection that just finished its response is closed at once,
    // so close() ends with the last in-flight request instead of waiting out the grace period.
    res.once('finish', () => {
      if (draining) setImmediate(() => httpServer.closeIdleConnections());
    });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
      if (!feeds.tramites.pronto || !feeds.onboarding.pronto) return sendJson(res, 503, { status: 'not ready', reason: 'event feed is reconnecting to the database' });
      void database
        .rows('select 1')
        .then(() => sendJson(res, 200, { status: 'ready', database: database.backend }))
        .catch((error: Error) => sendJson(res, 503, { status: 'not ready', reason: error.message }));
      return;
    }
    if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    return yoga(req, res);
  });
  // Slow or idle clients do not hold sockets for Node's defaults (300 s for a request).
  httpServer.headersTimeout = limits.headersTimeoutMs;
  httpServer.requestTimeout = limits.requestTimeoutMs;
  httpServer.keepAliveTimeout = limits.keepAliveTimeoutMs;

  // A bigger message closes the socket with 1009 (message too big) before it is parsed.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: limits.webSocketMessageBytes });
  useServer<{ authorization?: string }, { auth?: Authentication; subscriptions?: number; cancelExpiry?: () => void }>(
    {
      connectionInitWaitTimeout: 10_000,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const auth = await authenticate(typeof authorization === 'string' ? authorization : null);
        if (!auth.viewer) {
          logger.info({ reason: auth.error?.message ?? 'no token' }, 'websocket connection refused');
          return false; // graphql-ws closes with 4403 Forbidden
        }
        ctx.extra.auth = auth;
        if (auth.expiresAt) {
          ctx.extra.cancelExpiry = runAt(auth.expiresAt, () => ctx.extra.socket.close(CODIGO_FECHAMENTO.tokenExpirado, 'Token expirado'));
        }
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.cancelExpiry?.();
      },
      onComplete: (ctx) => {
        ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
      },
      onSubscribe: async (ctx, _id, payload) => {
        if ((ctx.extra.subscriptions ?? 0) >= config.feeds.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`Limite de ${config.feeds.maxSubscriptionsPerConnection} assinaturas por conexão atingido.`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        // Take the slot before any await: one connection's messages are handled concurrently.
        ctx.extra.subscriptions = (ctx.extra.subscriptions ?? 0) + 1;
        const liberar = () => {
          ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
        };
        try {
          const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: payload,
            wsAuth: ctx.extra.auth,
            encerrarConexao: (codigo: number, motivo: string) => ctx.extra.socket.close(codigo, motivo),
          });
          let document;
          try {
            document = parse(payload.query);
          } catch (error) {
            // A syntax error ends this subscription with an error, not the whole connection.
            if (error instanceof GraphQLError) {
              liberar();
              return [error.extensions.code ? error : new GraphQLError(error.message, { positions: error.positions, source: error.source, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
            }
            throw error;
          }
          const errors = validate(envelopedSchema, document);
          if (errors.length) {
            liberar();
            return errors;
          }
          return {
            schema: envelopedSchema,
            operationName: payload.operationName,
            document,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          liberar();
          throw error;
        }
      },
    },
    wsServer,
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    feeds,
    async close() {
      draining = true;
      await Promise.all([feeds.tramites.parar(), feeds.onboarding.parar()]);
      // Going away (1001): clients reconnect elsewhere and resume.
      for (const socket of wsServer.clients) socket.close(1001, 'Servidor em desligamento');
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** One log line per operation: name, duration, error count; the request id ties it to the request. */
function operationLog(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          args.contextValue.log.info(
            { operation: args.operationName ?? null, ms: Math.round(performance.now() - started), errors: result.errors?.length ?? 0 },
            'graphql operation',
          );
        },
      };
    },
  };
}
