// A root field's plan is kept per document position (patches/@pothos+plugin-drizzle*.patch, `documentPlanFromInfo`),
// beside the values of the variables its walk read: the same document with other values for them is planned again,
// so a relation an `@include` variable turns on is loaded in the page's one statement, not by its own resolver.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PEN_ADMIN } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const PAGE = `query($unidade: Boolean!) { tramites(first: 5) { nodes { idt unidadeRemetente @include(if: $unidade) { sigla orgao { sigla } } } } }`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let admin: string;
  let statements = 0;

  beforeAll(async () => {
    gw = await startTestGateway(backend, { onQuery: () => void statements++, feedPollMs: 600_000 });
    admin = await gw.tokenOf(PEN_ADMIN);
    await gw.ok(PAGE, { unidade: false }, admin);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('the same document, its @include variable alternating: each answer and its one statement follow the value', async () => {
    for (const unidade of [true, false, true, false]) {
      statements = 0;
      const data = await gw.ok(PAGE, { unidade }, admin);
      const nodes = data.tramites.nodes as { idt: string; unidadeRemetente?: { sigla: string; orgao: { sigla: string } } }[];
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) {
        if (unidade) {
          expect(node.unidadeRemetente?.sigla, `unidade: ${unidade}`).toEqual(expect.any(String));
          expect(node.unidadeRemetente?.orgao.sigla, `unidade: ${unidade}`).toEqual(expect.any(String));
        } else {
          expect(node, `unidade: ${unidade}`).not.toHaveProperty('unidadeRemetente');
        }
      }
      expect(statements, `unidade: ${unidade}`).toBe(1);
    }
  });
});
