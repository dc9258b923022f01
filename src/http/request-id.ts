import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A caller's or a proxy's id is kept when it is a plain token; anything else (too long, odd bytes) is replaced. */
const ID_ACEITO = /^[\w.:@/+=-]{1,128}$/;

/** The request id of a request: the `x-request-id` it came with when well-formed, else a new UUID. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  return typeof header === 'string' && ID_ACEITO.test(header) ? header : randomUUID();
}

/**
 * Every HTTP response carries its request id (`x-request-id`), the one its log lines carry: the header is
 * set on the request too, so Yoga's context and the plain routes read the same id.
 */
export function tagRequestId(req: IncomingMessage, res: ServerResponse): string {
  const requestId = requestIdFrom(req.headers['x-request-id']);
  req.headers['x-request-id'] = requestId;
  res.setHeader('x-request-id', requestId);
  return requestId;
}
