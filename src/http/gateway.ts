import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import type { Feeds } from '../schema/context.js';
import { createApp, type AppOptions } from './app.js';
import { componentRoutes } from './componentes.js';
import { attachWebSocketServer } from './websocket.js';

export interface GatewayOptions extends AppOptions {
  config: AppOptions['config'] & Pick<Config, 'host' | 'port' | 'shutdownGraceMs'>;
}

export interface Gateway {
  /** The URL of `/graphql` once listening. */
  url: string;
  port: number;
  feeds: Feeds;
  close(): Promise<void>;
}

/** One node:http server: Yoga for HTTP (and SSE) on /graphql, graphql-ws on the same path, /health and /ready. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, database, logger } = options;
  const app = await createApp(options);
  const { yoga, feeds } = app;
  let draining = false;
  const componentes = componentRoutes({ app, database, logger, store: app.servicos.store, maxBytes: config.componentes.maxBytes });

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
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
    if (componentes(req, res, path ?? '/')) return;
    if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    return yoga(req, res);
  });

  const wsServer = attachWebSocketServer(httpServer, app, { config, logger });

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
      await app.close();
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
