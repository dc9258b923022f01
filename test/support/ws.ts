// graphql-ws clients for tests: Node 20 has no global WebSocket (docs/stack.md trap 9), no retries
// (a test wants to see a close, not hide it), connected on the first subscription.
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';

/** The WebSocket URL of a gateway's /graphql. */
export const wsUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

/** A client for the gateway at `httpUrl`; `authorization` is sent in connection_init (`Bearer …`), or nothing. */
export function wsClient(httpUrl: string, authorization: string | null, on?: ClientOptions['on']): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: authorization ? { authorization } : {},
    on,
  });
}
