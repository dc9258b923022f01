import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { createAuthenticator, type Authentication } from '../identity/authenticate.js';
import { createTokenVerifier } from '../identity/tokens.js';
import type { Logger } from '../logger.js';
import { schema } from '../schema/index.js';
import { authGate } from './auth-gate.js';
import type { Clock, GatewayContext } from './context.js';
import { depthLimit } from './depth-limit.js';
import { inputErrorCodes } from './input-errors.js';

export interface GatewayOptions {
  config: Pick<Config, 'host' | 'port' | 'jwt' | 'jwtIssuer' | 'jwtAudience' | 'introspectionPublic' | 'shutdownGraceMs'>;
  database: DatabaseHandle;
  logger: Logger;
  clock?: Clock;
}

export interface Gateway {
  /** The URL of `/graphql` once listening. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_QUERY_DEPTH = 12;

/** One node:http server: Yoga for HTTP (and SSE) on /graphql, graphql-ws on the same path, /health and /ready. */
export async function startGateway({ config, database, logger, clock = () => new Date() }: GatewayOptions): Promise<Gateway> {
  const authenticate = createAuthenticator(createTokenVerifier(config), database.db);
  let draining = false;

  const yoga = createYoga<{ wsAuth?: Authentication; requestId?: string }, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Tramita.GOV.BR — gateway GraphQL', subscriptionsProtocol: 'WS' },
    logging: {
      debug: (...args) => logger.debug({ yoga: args }),
      info: (...args) => logger.info({ yoga: args }),
      warn: (...args) => logger.warn({ yoga: args }),
      error: (...args) => logger.error({ yoga: args }),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        // Unexpected errors reach clients as "Unexpected error."; the log keeps the real cause.
        logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error in operation');
        return maskError(error, message, isDev);
      },
    },
    context: async (initial): Promise<GatewayContext & { authError: Error | null }> => {
      const auth = initial.wsAuth ?? (await authenticate(initial.request.headers.get('authorization')));
      const requestId = initial.requestId ?? initial.request.headers.get('x-request-id') ?? randomUUID();
      return {
        db: database.db,
        viewer: auth.viewer,
        authError: auth.error,
        clock,
        log: logger.child({ requestId, viewer: auth.viewer?.sujeito }),
      };
    },
    plugins: [
      authGate({ introspectionPublic: config.introspectionPublic }),
      depthLimit(MAX_QUERY_DEPTH),
      inputErrorCodes(),
      operationLog(),
    ],
  });

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
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

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  useServer<{ authorization?: string }, { auth?: Authentication }>(
    {
      connectionInitWaitTimeout: 10_000,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const auth = await authenticate(typeof authorization === 'string' ? authorization : null);
        if (auth.error) {
          logger.info({ reason: auth.error.message }, 'websocket connection refused');
          return false; // graphql-ws closes with 4403 Forbidden
        }
        ctx.extra.auth = auth;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          wsAuth: ctx.extra.auth,
        });
        const args = {
          schema: envelopedSchema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
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
    async close() {
      draining = true;
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
