// The clients frontends use, end to end against a started gateway: Apollo Client (automatic persisted
// queries link + a split graphql-ws link, token as `headers.Authorization`) and urql (graphql-ws,
// token as `authorization`), each running a query, a mutation and a subscription. Also trusted documents.
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from '@urql/core';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { pipe, subscribe as wonkaSubscribe, take, toPromise } from 'wonka';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN, SPE_MGI } from './support/accounts.js';
import { movableTramites, stepMutation, type MovableTramite } from './support/tramites.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

const CONSULTA = `query Orgaos { orgaos(first: 3) { totalCount nodes { id sigla } } }`;
// From the trâmite's first event on: the replay proves the subscription is live before the step,
// and the step's event arrives after it, without a race.
const ASSINATURA = `subscription Eventos($tramite: ID!) { eventosTramite(tramite: $tramite, aPartirDe: "0") { cursor situacao tramite { id idt } } }`;

interface Evento {
  cursor: string;
  situacao: string;
  tramite: { id: string; idt: string };
}

/** Records every POST body a client sends, to see what the persisted-queries link did. */
function recordingFetch(log: { query?: string; extensions?: unknown }[]): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body === 'string') log.push(JSON.parse(init.body));
    return fetch(input, init);
  };
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let sei: string;
  let tramites: MovableTramite[];
  const wsClients: WsClient[] = [];

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    sei = await gw.tokenOf(SPE_MGI);
    tramites = await movableTramites(gw, sei);
    expect(tramites.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await Promise.all(wsClients.map((c) => c.dispose()));
    await gw?.close();
  });

  function wsClient(connectionParams: Record<string, unknown>): WsClient {
    const client = createClient({ url: wsUrl(gw.gateway.url), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
    wsClients.push(client);
    return client;
  }

  test('Apollo Client: persisted queries over HTTP, subscriptions over graphql-ws (split link)', async () => {
    const sent: { query?: string; extensions?: unknown }[] = [];
    const apollo = () =>
      new ApolloClient({
        cache: new InMemoryCache(),
        link: ApolloLink.split(
          ({ query }) => {
            const definition = getMainDefinition(query);
            return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
          },
          new GraphQLWsLink(wsClient({ headers: { Authorization: `Bearer ${sei}` } })),
          new PersistedQueryLink({ sha256 }).concat(
            new HttpLink({ uri: gw.gateway.url, headers: { authorization: `Bearer ${sei}` }, fetch: recordingFetch(sent) }),
          ),
        ),
      });
    const client = apollo();

    const first = await client.query({ query: gql(CONSULTA) });
    expect(first.error).toBeUndefined();
    expect((first.data as { orgaos: { totalCount: number } }).orgaos.totalCount).toBeGreaterThan(0);
    // The protocol: the hash alone, a miss, then the hash with the text.
    expect(sent.map((b) => typeof b.query === 'string')).toEqual([false, true]);
    // A second client (a new page load) sends the hash alone and is answered from the store.
    sent.length = 0;
    const second = await apollo().query({ query: gql(CONSULTA) });
    expect(second.data).toEqual(first.data);
    expect(sent.map((b) => typeof b.query === 'string')).toEqual([false]);

    const tramite = tramites[0]!;
    const events: Evento[] = [];
    const subscription = client.subscribe({ query: gql(ASSINATURA), variables: { tramite: tramite.id } }).subscribe({
      next: (result) => {
        if (result.data) events.push((result.data as { eventosTramite: Evento }).eventosTramite);
      },
    });
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const replayed = events.length;

    const moved = await client.mutate({ mutation: gql(stepMutation(tramite)), variables: { input: { tramite: tramite.id } } });
    const result = (moved.data as { r: { __typename: string; tramite: { situacao: string } } }).r;
    expect(result.__typename).toBe('TransicaoRealizada');
    await expect.poll(() => events.slice(replayed).map((e) => e.situacao), { timeout: 10_000 }).toContain(result.tramite.situacao);
    expect(events.every((e) => e.tramite.idt === tramite.idt)).toBe(true);
    subscription.unsubscribe();
  });

  test('urql: query and mutation over fetch, subscription over graphql-ws', async () => {
    const ws = wsClient({ authorization: sei });
    const client = new UrqlClient({
      url: gw.gateway.url,
      fetchOptions: { headers: { authorization: `Bearer ${sei}` } },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });

    const query = await client.query(CONSULTA, {}).toPromise();
    expect(query.error).toBeUndefined();
    expect(query.data.orgaos.nodes.length).toBe(3);

    const tramite = tramites[1]!;
    const events: Evento[] = [];
    const { unsubscribe } = pipe(
      client.subscription(ASSINATURA, { tramite: tramite.id }),
      wonkaSubscribe((result) => {
        if (result.data) events.push(result.data.eventosTramite as Evento);
      }),
    );
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const replayed = events.length;

    const moved = await pipe(client.mutation(stepMutation(tramite), { input: { tramite: tramite.id } }), take(1), toPromise);
    expect(moved.error).toBeUndefined();
    expect(moved.data.r.__typename).toBe('TransicaoRealizada');
    await expect.poll(() => events.slice(replayed).map((e) => e.situacao), { timeout: 10_000 }).toContain(moved.data.r.tramite.situacao);
    unsubscribe();
  });
});

describe(`${BACKENDS[0]}, trusted documents`, () => {
  let gw: TestGateway;
  let token: string;
  const trusted = `query Orgaos { orgaos(first: 1) { totalCount } }`;
  const subscription = `subscription { eventosTramites { cursor } }`;

  beforeAll(async () => {
    gw = await startTestGateway(BACKENDS[0]!, {
      seed: false,
      trustedDocuments: new Map([
        [sha256(trusted), trusted],
        [sha256(subscription), subscription],
      ]),
    });
    token = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  const post = (body: Record<string, unknown>) =>
    fetch(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, ...((await r.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] }) }));

  test('a listed document runs by id (codegen documentId or Apollo hash); anything else is refused', async () => {
    expect((await post({ documentId: sha256(trusted) })).data).toEqual({ orgaos: { totalCount: 0 } });
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(trusted) } } })).data).toEqual({
      orgaos: { totalCount: 0 },
    });
    for (const body of [
      { query: trusted },
      { query: '{ orgaos(first: 5) { totalCount } }' },
      { documentId: sha256('{ __typename }') },
      {},
    ]) {
      const res = await post(body);
      expect(res.data ?? null, JSON.stringify(body)).toBeNull();
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(body)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    }
  });

  test('over graphql-ws only the listed documents subscribe', async () => {
    const ws = createClient({
      url: wsUrl(gw.gateway.url),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: token },
      retryAttempts: 0,
    });
    const outcome = (query: string) =>
      new Promise<string>((resolve) => {
        const stop = ws.subscribe(
          { query },
          {
            next: () => {},
            error: (errors) => resolve(String((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code)),
            complete: () => resolve('complete'),
          },
        );
        // A live subscription neither errors nor completes: it was accepted.
        setTimeout(() => {
          stop();
          resolve('accepted');
        }, 1_000);
      });
    expect(await outcome(subscription)).toBe('accepted');
    expect(await outcome('subscription { eventosOnboarding { cursor } }')).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    await ws.dispose();
  });
});
