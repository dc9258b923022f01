// graphql-ws `connection_init` carries the token in the shapes real clients send; anything else is 4403.
// And "Did you mean …?" suggestions: only for authenticated clients, never when introspection is private.
import { createClient, type ExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { authorizationFromConnectionParams } from '../src/http/plugins/connection-params.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** One query over a fresh graphql-ws connection; resolves to its result or to the close code. */
function queryOverWebSocket(
  httpUrl: string,
  connectionParams: Record<string, unknown>,
  query: string,
): Promise<ExecutionResult | { closed: number }> {
  return new Promise((resolve) => {
    const client = createClient({
      url: wsUrl(httpUrl),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
      on: { closed: (event) => resolve({ closed: (event as { code: number }).code }) },
    });
    let result: ExecutionResult | undefined;
    client.subscribe(
      { query },
      {
        next: (value) => void (result = value as ExecutionResult),
        error: (errors) => {
          resolve({ errors: errors as ExecutionResult['errors'] });
          void client.dispose();
        },
        complete: () => {
          resolve(result ?? { closed: -1 });
          void client.dispose();
        },
      },
    );
  });
}

describe('authorizationFromConnectionParams', () => {
  test('reads every documented shape, with or without "Bearer "', () => {
    for (const params of [
      { authorization: 'Bearer abc' },
      { authorization: 'abc' },
      { Authorization: 'Bearer abc' },
      { Authorization: 'abc' },
      { headers: { Authorization: 'Bearer abc' } },
      { headers: { authorization: 'abc' } },
      { authToken: 'abc' },
      { authorization: '  bearer abc ' },
    ]) {
      expect(authorizationFromConnectionParams(params)?.replace(/^bearer/i, 'Bearer'), JSON.stringify(params)).toBe('Bearer abc');
    }
    for (const params of [undefined, null, {}, { authorization: '' }, { authorization: 42 }, { headers: 'Bearer abc' }, { token: 'abc' }]) {
      expect(authorizationFromConnectionParams(params as never), JSON.stringify(params)).toBeNull();
    }
  });
});

describe(`${BACKENDS[0]}, public introspection`, () => {
  let gw: TestGateway;
  let token: string;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!, { seed: false });
    token = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('connection params as Apollo, urql, Hasura docs and graphql-ws users write them all connect', async () => {
    const shapes = [
      { authorization: `Bearer ${token}` },
      { authorization: token },
      { Authorization: `Bearer ${token}` },
      { Authorization: token },
      { headers: { Authorization: `Bearer ${token}` } },
      { headers: { authorization: token } },
      { authToken: token },
    ];
    for (const params of shapes) {
      const result = await queryOverWebSocket(gw.gateway.url, params, '{ orgaos(first: 1) { totalCount } }');
      expect(result, Object.keys(params).join()).toEqual({ data: { orgaos: { totalCount: 0 } } });
    }
  });

  test('no token, an empty one, or a bad one is closed with 4403', async () => {
    for (const params of [
      {},
      { authorization: '' },
      { Authorization: 'Bearer not-a-jwt' },
      { headers: { Authorization: 'Basic dXNlcjpwYXNz' } },
    ]) {
      const result = await queryOverWebSocket(gw.gateway.url, params, '{ orgaos(first: 1) { totalCount } }');
      expect(result, JSON.stringify(params)).toEqual({ closed: 4403 });
    }
  });

  test('anonymous clients get no "Did you mean"; authenticated ones do (HTTP and WebSocket)', async () => {
    const typo = '{ tramitez { totalCount } }';
    // An anonymous data query is refused before it is parsed (authentication before work): no schema word at all.
    const anonymous = await gw.gql(typo, {}, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.errors?.[0]?.message).not.toMatch(/tramite|Did you mean/);
    const introspectionTypo = await gw.gql('{ __schema { queryTyp { name } } }', {}, null);
    expect(introspectionTypo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const authenticated = await gw.gql(typo, {}, token);
    expect(authenticated.errors?.[0]?.message).toMatch(/Did you mean "tramite" or "tramites"\?/);
    const overWebSocket = await queryOverWebSocket(gw.gateway.url, { authorization: token }, typo);
    expect((overWebSocket as ExecutionResult).errors?.[0]?.message).toMatch(/Did you mean/);
    // Variable coercion errors carry enum suggestions too.
    const badEnum = await gw.gql('query($o: OrdemTramites) { tramites(ordem: $o) { totalCount } }', { o: 'MAIS_RECENTE' }, null);
    for (const error of badEnum.errors ?? []) expect(error.message).not.toMatch(/Did you mean/);
  });
});

describe(`${BACKENDS[0]}, introspection not public`, () => {
  let gw: TestGateway;
  let token: string;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!, { seed: false, introspectionPublic: false });
    token = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('nobody gets suggestions, over HTTP or WebSocket', async () => {
    const typo = '{ tramitez { totalCount } }';
    const anonymous = await gw.gql(typo, {}, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const authenticated = await gw.gql(typo, {}, token);
    expect(authenticated.errors?.[0]?.message).toBe('Cannot query field "tramitez" on type "Query".');
    const enumTypo = await gw.gql('query($o: OrdemTramites) { tramites(ordem: $o) { totalCount } }', { o: 'MAIS_RECENTE' }, token);
    expect(enumTypo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(enumTypo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const overWebSocket = await queryOverWebSocket(gw.gateway.url, { authorization: token }, typo);
    expect((overWebSocket as ExecutionResult).errors?.[0]?.message).toBe('Cannot query field "tramitez" on type "Query".');
  });
});
