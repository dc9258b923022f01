/**
 * graphql-ws on the HTTP server's /graphql: the token is checked once at connection_init, each
 * subscription runs through the app's Yoga (the same plugins as HTTP), a connection holds a bounded
 * number of subscriptions and is closed when its token expires.
 */
import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Authentication } from '../identity/authenticate.js';
import type { Logger } from '../logger.js';
import { runAt } from '../feeds/long-timeout.js';
import { CODIGO_FECHAMENTO } from '../schema/assinaturas.js';
import type { App } from './app.js';
import { authorizationFromConnectionParams } from './plugins/connection-params.js';
import { withoutSuggestions } from './plugins/hide-suggestions.js';
import { trustedWebSocketQuery } from './plugins/persisted-operations.js';
import { difusaoWebSocket, type DifusaoWebSocket } from './websocket-broadcast.js';
import { sharedFrames } from './websocket-writes.js';

export function attachWebSocketServer(
  httpServer: Server,
  { yoga, authenticate, metricas }: App,
  { config, logger }: { config: Pick<Config, 'feeds' | 'introspectionPublic' | 'trustedDocuments' | 'limits'>; logger: Logger },
): { wsServer: WebSocketServer; difusao: DifusaoWebSocket } {
  // A bigger message closes the socket with 1009 (message too big) before it is parsed.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.limits.webSocketMessageBytes });
  // Registered before graphql-ws's own listener: every socket's sends go through the shared frames.
  const frames = sharedFrames();
  wsServer.on('connection', (socket) => frames.install(socket));
  // Every WebSocket client is authenticated: it sees suggestions unless introspection is private.
  // The result itself, not a copy of it: subscribers sharing it share its serialisation.
  const paraOCliente = (result: ExecutionResult): ExecutionResult =>
    config.introspectionPublic || !result.errors ? result : { ...result, errors: withoutSuggestions(result.errors as GraphQLError[]) };
  const difusao = difusaoWebSocket({ frames, paraOCliente });
  // A close the gateway decides (token expired, slow consumer) is worth a line at info; a client's own close is debug.
  const encerrar = (socket: WebSocket, sujeito: string | undefined, codigo: number, motivo: string) => {
    if (socket.readyState !== socket.OPEN) return; // already closing: one close, counted once
    logger.info({ code: codigo, reason: motivo, viewer: sujeito }, 'websocket closed by the gateway');
    metricas?.fechamentoWebSocket(codigo);
    socket.close(codigo, motivo);
  };
  useServer<Record<string, unknown>, { auth?: Authentication; subscriptions?: number; cancelExpiry?: () => void }>(
    {
      connectionInitWaitTimeout: 10_000,
      jsonMessageReplacer: frames.replacer,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const auth = await authenticate(authorizationFromConnectionParams(ctx.connectionParams));
        if (!auth.viewer) {
          logger.info({ reason: auth.error?.message ?? 'no token' }, 'websocket connection refused');
          return false; // graphql-ws closes with 4403 Forbidden
        }
        ctx.extra.auth = auth;
        if (auth.expiresAt) {
          ctx.extra.cancelExpiry = runAt(auth.expiresAt, () =>
            encerrar(ctx.extra.socket, auth.viewer?.sujeito, CODIGO_FECHAMENTO.tokenExpirado, 'Token expirado'),
          );
        }
        logger.debug({ viewer: auth.viewer.sujeito }, 'websocket connected');
        return true;
      },
      onError: (_ctx, _id, _payload, errors) => (config.introspectionPublic ? undefined : withoutSuggestions(errors)),
      onNext: (_ctx, _id, _payload, _args, result) => paraOCliente(result as ExecutionResult),
      onClose: (ctx, code, reason) => {
        ctx.extra.cancelExpiry?.();
        logger.debug({ code, reason: reason || undefined, viewer: ctx.extra.auth?.viewer?.sujeito }, 'websocket closed');
      },
      onComplete: (ctx) => {
        ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
      },
      onSubscribe: async (ctx, id, payload) => {
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
          const {
            schema: envelopedSchema,
            execute,
            subscribe,
            contextFactory,
            parse,
            validate,
          } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: payload,
            wsAuth: ctx.extra.auth,
            aoVivoWs: difusao.destino(ctx.extra.socket, id),
            encerrarConexao: (codigo: number, motivo: string) =>
              encerrar(ctx.extra.socket, ctx.extra.auth?.viewer?.sujeito, codigo, motivo),
          });
          const query = trustedWebSocketQuery(config.trustedDocuments, payload);
          if (query instanceof GraphQLError) {
            liberar();
            return [query];
          }
          let document: DocumentNode;
          try {
            document = parse(query);
          } catch (error) {
            // A syntax error ends this subscription with an error, not the whole connection.
            if (error instanceof GraphQLError) {
              liberar();
              return [
                error.extensions.code
                  ? error
                  : new GraphQLError(error.message, {
                      positions: error.positions,
                      source: error.source,
                      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
                    }),
              ];
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
  return { wsServer, difusao };
}
