// Limits that need a gateway configured tighter than the defaults to be seen in a test: a client that
// never finishes its headers is cut off, and a query past its execution deadline answers
// EXECUTION_TIMEOUT (while the gateway keeps answering). On PostgreSQL when there is one: PGlite runs a
// statement in this thread, so a deadline can only act between its statements (see the README's Limits).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

describe(`${BACKENDS.at(-1)}`, () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS.at(-1)!, { limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, executionDeadlineMs: 5 } });
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('a client that never finishes its headers is disconnected after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const { port } = gw.gateway;
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('still connected after 6 s')), 6_000).unref();
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  test('a query past EXECUTION_DEADLINE_MS answers EXECUTION_TIMEOUT', async () => {
    const admin = await gw.tokenOf(PEN_ADMIN);
    const res = await gw.gql(
      '{ tramites(first: 100) { nodes { id historico { situacao ocorridoEm } unidadeRemetente { sigla orgao { todasUnidades { sigla } } } } } }',
      {},
      admin,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]?.extensions?.code).toBe('EXECUTION_TIMEOUT');
    expect((await fetch(new URL('/health', gw.gateway.url))).status).toBe(200);
  });
});
