import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Config } from '../config.js';
import type { Feeds } from '../schema/context.js';
import { createApp, type AppOptions } from './app.js';
import { componentRoutes } from './componentes.js';
import { graphqlMultipart } from './graphql-multipart.js';
import { rotaDeMetricas } from './metrics.js';
import { tagRequestId } from './request-id.js';
import { accessRequestRoute } from './solicitacoes.js';
import { attachWebSocketServer } from './websocket.js';

export interface GatewayOptions extends AppOptions {
  config: AppOptions['config'] & Pick<Config, 'host' | 'port' | 'shutdownGraceMs'>;
}

export interface Gateway {
  /** The URL of `/graphql` once listening. */
  url: string;
  port: number;
  feeds: Feeds;
  /** graphql-ws subscriptions now served by a broadcast group (caught up, live). */
  readonly assinantesEmDifusao: number;
  close(): Promise<void>;
}

/** One node:http server: Yoga for HTTP (and SSE) on /graphql, graphql-ws on the same path, /health, /ready and /metrics. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, database, logger } = options;
  const app = await createApp(options);
  const { yoga, feeds } = app;
  let draining = false;
  // Requests in flight per HTTP socket. While draining, a socket with none is closed at once, so close()
  // ends with the last in-flight request instead of waiting out the grace period. Node's
  // closeIdleConnections() is not enough: it skips a socket a client's pool opened and never sent a
  // request on (fetch opens one beside a streaming SSE response), which then held shutdown for the grace.
  const requestsInFlight = new Map<Socket, number>();
  const closeUnusedSockets = () => {
    for (const [socket, requests] of requestsInFlight) if (requests === 0) socket.destroy();
  };
  const uploadsGraphql = graphqlMultipart({
    app,
    maxFileBytes: config.componentes.maxBytes,
    maxFieldBytes: config.limits.requestBodyBytes,
  });
  const componentes = componentRoutes({ app, database, logger, store: app.servicos.store, maxBytes: config.componentes.maxBytes });
  const metricas = app.metricas && config.metrics.token ? rotaDeMetricas(app.metricas, config.metrics.token, logger) : null;
  const solicitacoes = accessRequestRoute({ app, database, logger, maxBytes: config.onboarding.documentoMaxBytes });

  // Timeouts are checked every second (Node's default is every 30 s), so they hold close to their value.
  const httpServer = createServer({ connectionsCheckingInterval: 1_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    requestsInFlight.set(socket, (requestsInFlight.get(socket) ?? 0) + 1);
    // 'close', not 'finish': a response the client aborted (an SSE stream) never finishes.
    res.once('close', () => {
      if (requestsInFlight.has(socket)) requestsInFlight.set(socket, requestsInFlight.get(socket)! - 1);
      if (draining) setImmediate(closeUnusedSockets);
    });
    const path = (req.url ?? '/').split('?')[0];
    tagRequestId(req, res);
    app.metricas?.observarHttp(req, res, path ?? '/');
    if (metricas?.(req, res, path ?? '/')) return;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
      if (!feeds.tramites.pronto || !feeds.onboarding.pronto || !feeds.alertas.pronto)
        return sendJson(res, 503, { status: 'not ready', reason: 'event feed is reconnecting to the database' });
      void database
        .rows('select 1')
        .then(() => sendJson(res, 200, { status: 'ready', database: database.backend }))
        .catch((error: Error) => sendJson(res, 503, { status: 'not ready', reason: error.message }));
      return;
    }
    if (componentes(req, res, path ?? '/')) return;
    if (uploadsGraphql(req, res, path ?? '/')) return;
    if (solicitacoes(req, res, path ?? '/')) return;
    if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    return yoga(req, res);
  });

  // Slow or idle clients do not hold sockets for Node's defaults (300 s for a request).
  httpServer.headersTimeout = config.limits.headersTimeoutMs;
  httpServer.requestTimeout = config.limits.requestTimeoutMs;
  httpServer.keepAliveTimeout = config.limits.keepAliveTimeoutMs;

  httpServer.on('connection', (socket: Socket) => {
    requestsInFlight.set(socket, 0);
    socket.once('close', () => requestsInFlight.delete(socket));
  });
  // An upgraded socket belongs to graphql-ws, which closes it with 1001 below.
  httpServer.on('upgrade', (req: IncomingMessage) => requestsInFlight.delete(req.socket));
  const { wsServer, difusao } = attachWebSocketServer(httpServer, app, { config, logger });
  app.metricas?.observarWebSocket(wsServer, difusao);

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
    get assinantesEmDifusao() {
      return difusao.membros;
    },
    async close() {
      draining = true;
      await app.close();
      // Going away (1001): clients reconnect elsewhere and resume.
      for (const socket of wsServer.clients) socket.close(1001, 'Servidor em desligamento');
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      closeUnusedSockets();
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
