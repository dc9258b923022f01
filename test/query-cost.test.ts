// The cost limit over HTTP: a price is remembered per document, operation and Int variables (the only values a cost
// reads), so new cursors or filters reuse it, a new page size is priced again, and a request whose other variables
// did not coerce never leaves a price behind for the next one. Pricing does not depend on the backend: one is enough.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GESTORA_MGI } from './support/accounts.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const PAGE = `query Pagina($n: Int!, $after: String, $filtro: FiltroTramites) {
  tramites(first: $n, after: $after, filtro: $filtro) { nodes { idt unidadeRemetente { sigla orgao { sigla } } } }
}`;
const MAX_COST = 200;

describe(`${BACKENDS[0]}`, () => {
  let gw: TestGateway;
  let gestor: string;
  const code = async (variables: Record<string, unknown>) => (await gw.gql(PAGE, variables, gestor)).errors?.[0]?.extensions?.code ?? 'OK';

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!, { limits: { cost: MAX_COST } });
    gestor = await gw.tokenOf(GESTORA_MGI);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('a page size over the limit is refused with its cost, whatever cursor or filter comes with it', async () => {
    const res = await gw.gql(PAGE, { n: 100 }, gestor);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: MAX_COST });
    expect(res.errors?.[0]?.extensions?.cost).toBeGreaterThan(MAX_COST);
    expect(await code({ n: 100, after: 'outro-cursor' })).toBe('QUERY_TOO_COSTLY');
    expect(await code({ n: 100, filtro: { situacoes: ['CONCLUIDO'] } })).toBe('QUERY_TOO_COSTLY');
  });

  test('the same document with a small page size is priced again and answers', async () => {
    expect(await code({ n: 100 })).toBe('QUERY_TOO_COSTLY');
    expect(await code({ n: 2 })).toBe('OK');
    expect(await code({ n: 2, filtro: { papel: 'DESTINO' } })).toBe('OK');
  });

  test('a request whose filter does not coerce leaves no price behind: the next one is still refused', async () => {
    const invalido = await gw.gql(PAGE, { n: 150, filtro: { situacoes: ['NAO_EXISTE'] } }, gestor);
    expect(invalido.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await code({ n: 150, filtro: { situacoes: ['CONCLUIDO'] } })).toBe('QUERY_TOO_COSTLY');
  });
});
