// The depth rule must not be exponential in fragment spreads (stack.md trap 15): the 1,269-byte
// document (each fragment spreads the next twice, 2^22 paths) answers a coded refusal in under a second,
// and /health answers meanwhile. Validation does not depend on the backend: one is enough.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { GESTORA_MGI } from './support/accounts.js';
import { exponentialFragments } from './support/hostile-cases.js';

describe(`${BACKENDS[0]}`, () => {
  let gw: TestGateway;
  let gestor: string;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!);
    gestor = await gw.tokenOf(GESTORA_MGI);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('the exponential-fragment document answers in under a second', async () => {
    const document = exponentialFragments(22);
    expect(document.length).toBeGreaterThan(1_200);
    const started = performance.now();
    const [res, health] = await Promise.all([
      gw.gql(document, {}, gestor),
      new Promise<number>((resolve) =>
        setTimeout(() => void fetch(new URL('/health', gw.gateway.url)).then(() => resolve(performance.now() - started)), 50),
      ),
    ]);
    const ms = performance.now() - started;
    console.log(`[exponential fragments] ${document.length} bytes answered in ${Math.round(ms)} ms; /health in ${Math.round(health)} ms`);
    expect(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY']).toContain(res.errors?.[0]?.extensions?.code);
    expect(ms).toBeLessThan(1_000);
    expect(health).toBeLessThan(1_000);
  });
});
