// The HTTP server around the GraphQL endpoint: probes, GraphiQL, and a graceful close.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

const backend = BACKENDS[0]!;

describe(`${backend}`, () => {
  let gw: TestGateway;
  let base: string;
  let token: string;
  /** Set once a statement reaches the database while `onFirstStatement` is armed. */
  let onFirstStatement: (() => void) | null = null;
  let closing: Promise<void> | null = null;
  const closeGateway = () => (closing ??= gw.gateway.close());
  const timings: { responseAt?: number; closedAt?: number } = {};
  const GRACE_MS = 2_000; // shutdownGraceMs of startTestGateway

  beforeAll(async () => {
    gw = await startTestGateway(backend, {
      onQuery: () => {
        const notify = onFirstStatement;
        onFirstStatement = null;
        notify?.();
      },
    });
    base = new URL(gw.gateway.url).origin;
    token = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await closeGateway().catch(() => {});
    await gw?.close().catch(() => {});
  });

  test('GET /health is 200', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('GET /ready is 200 and names the backend', async () => {
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: backend });
  });

  test('GET /graphql with Accept: text/html serves GraphiQL', async () => {
    const response = await fetch(gw.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<html/i);
    expect(html.toLowerCase()).toContain('graphiql');
    expect(html).toContain('Tramita.GOV.BR');
  });

  test('GET / redirects to /graphql', async () => {
    const response = await fetch(`${base}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  test('GraphQL over GET works for queries', async () => {
    const url = new URL(gw.gateway.url);
    url.searchParams.set('query', '{ orgaos(first: 1) { totalCount } }');
    const response = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { orgaos: { totalCount: number } } };
    expect(body.data.orgaos.totalCount).toBeGreaterThan(0);
  });

  // The two tests below close the server: keep them last.
  test('close() lets an in-flight request finish with 200', async () => {
    const started = new Promise<void>((resolve) => {
      onFirstStatement = resolve;
    });
    const inFlight = fetch(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ tramites(first: 100) { totalCount nodes { id idt historico { situacao ocorridoEm } unidadeRemetente { sigla orgao { sigla } } } } }`,
      }),
    });
    // The request is being executed (its first SQL statement was sent) when close() is called.
    await started;
    const closed = closeGateway();
    const response = await inFlight;
    timings.responseAt = Date.now();
    void closed.then(() => (timings.closedAt = Date.now()));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { tramites: { nodes: unknown[] } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data!.tramites.nodes.length).toBe(100);
    await closed;
  });

  test('close() resolves soon after the in-flight request is done, not after the whole grace period', async () => {
    await closeGateway();
    expect(timings.responseAt, 'run with the previous test').toBeDefined();
    const lingered = timings.closedAt! - timings.responseAt!;
    console.log(`[server] close() resolved ${lingered} ms after the in-flight response (grace ${GRACE_MS} ms)`);
    expect(lingered).toBeLessThan(GRACE_MS / 2);
  });

  test('after close() the server accepts no new request', async () => {
    await closeGateway();
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await expect(
      fetch(gw.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ orgaos(first: 1) { totalCount } }' }),
      }),
    ).rejects.toThrow();
  });
});
