// The hostile-input corpus, by family: data, generated from a few fixtures of the seeded database.
// test/hostile-corpus.test.ts sends every case to a real gateway (HTTP, SSE or WebSocket) and checks
// the same things for each: a coded answer, no 5xx, the process alive, bounded time, nothing leaked.
//
// `dependsOn` names a case that the branch of another issue makes pass (the corpus keeps it, with
// the same assertions, so the merge is checked by the same run).

/** The families, in the order the corpus runs them. */
export const FAMILIES = [
  'legit',
  'body-size',
  'anonymous',
  'tokens',
  'http',
  'depth',
  'fragments',
  'aliases',
  'directives',
  'tokens-limit',
  'cost',
  'null-bytes',
  'dates',
  'ids',
  'scalars',
  'cursors',
  'mutations',
  'visibility',
  'websocket',
] as const;

export interface Fixture {
  /** The agency of `gestor`, as a token names it. */
  orgao: { repositorio: number; estrutura: number };
  admin: string;
  gestor: string;
  /** The destinatário agency of `recusado` (a trâmite it refused: it must not see it any more). */
  destinatarioRecusou: string;
  recusado: { id: string; idt: string; numeroProcesso: string };
  /** A trâmite `gestor` can read, and one of its own units. */
  tramite: string;
  unidade: string;
  /** A real `endCursor` of `tramites(first: 2)`, to tamper with. */
  cursor: string;
  /** Signs an HS256 token with the gateway's secret and exactly these claims. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

export type Probe =
  | {
      kind: 'http';
      method?: string;
      /** 'admin' | 'gestor' | 'destinatarioRecusou' | a raw Authorization header value | null (none). */
      auth?: string | null;
      headers?: Record<string, string>;
      /** A GraphQL request (JSON-encoded) or a raw body. */
      gql?: { query: unknown; variables?: unknown; operationName?: unknown };
      body?: string | Uint8Array;
      query?: string; // the URL's query string, for GET
      sse?: boolean;
    }
  | { kind: 'ws'; auth?: string | null; connectionParams?: unknown; frames: Array<string | Uint8Array>; expectOpenMs?: number };

/** In `codes`: any member of a mutation's result union (`... on Erro { codigo }`). */
export const ANY_ERRO = 'ERRO:*';

export interface Case {
  family: string;
  name: string;
  probe: Probe;
  /** Codes one of which must answer (an error's extensions.code, or a WebSocket close code). */
  codes?: Array<string | number>;
  /** The request must succeed: no errors at all (the positive controls). */
  accepted?: boolean;
  /** Data that must not come back (a leak): a string that must not appear in the response. */
  mustNotContain?: string[];
  dependsOn?: 'issue-8';
}

const gid = (typename: string, id: string | number) => Buffer.from(`${typename}:${id}`).toString('base64');
const b64 = (text: string) => Buffer.from(text).toString('base64');

const README_FIRST_QUERY = `query Parados {
  painel { comoOrigem { total porSituacao { situacao quantidade percentual } } }
  tramites(first: 10, filtro: { paradoHaMaisDeDias: 3 }, ordem: PARADOS_HA_MAIS_TEMPO) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      idt nre numeroProcesso situacao codigoSituacao diasNaSituacao quemDeveAgir acoesPermitidas
      unidadeRemetente { sigla orgao { sigla } }
      unidadeDestinataria { sigla orgao { sigla } }
      historico { situacao lado ator ocorridoEm }
    }
  }
}`;

const INTROSPECTION = `query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue }
  type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name ofType { kind name } } } } } } } }`;

/** The issue's priced-out query: the unit tree, through `orgao`, under a page of trâmites (163 bytes). */
const UNIT_TREE_UNDER_A_PAGE =
  '{tramites(first:100){nodes{unidadeRemetente{orgao{todasUnidades{orgao{todasUnidades{orgao{todasUnidades{orgao{todasUnidades{sigla nome}}}}}}}}}}}}';

/**
 * n fragments, each spreading the next twice: 2^n paths for a depth count that does not memoise. The
 * issue's shape: 22 fragments are 1,244 bytes.
 */
export function exponentialFragments(n: number): string {
  return [
    '{orgao(repositorio:1,numeroIdentificacao:1){unidades{...F0}}}',
    ...Array.from({ length: n }, (_, i) => `fragment F${i} on UnidadeAdministrativa{...F${i + 1} ...F${i + 1}}`),
    `fragment F${n} on UnidadeAdministrativa{sigla}`,
  ].join('\n');
}

const gql = (query: unknown, auth: string | null = 'gestor', variables?: unknown): Probe => ({
  kind: 'http',
  auth,
  gql: { query, variables },
});
const nest = (levels: number, leaf = 'sigla'): string => (levels === 0 ? leaf : `subunidades { ${nest(levels - 1, leaf)} }`);

export function hostileCases(fx: Fixture): Promise<Case[]> {
  return build(fx);
}

async function build(fx: Fixture): Promise<Case[]> {
  const cases: Case[] = [];
  const add = (family: string, name: string, probe: Probe, rest: Omit<Case, 'family' | 'name' | 'probe'> = {}) =>
    cases.push({ family, name, probe, ...rest });
  const now = Math.floor(Date.now() / 1000);
  const gestorClaims = { sub: 'hostil@corpus', orgao: fx.orgao, roles: ['GESTOR_PROTOCOLO'], iat: now, exp: now + 3600 };

  // ── legit: what users send must keep working under every limit (README, introspection) ──
  add('legit', 'README first query', gql(README_FIRST_QUERY), { accepted: true });
  // 15 levels deep (stack.md trap 15): the day-one issue bounds introspection on its own.
  add('legit', 'standard introspection, anonymous', gql(INTROSPECTION, null), { accepted: true, dependsOn: 'issue-8' });
  add('legit', 'standard introspection, with a token', gql(INTROSPECTION), { accepted: true, dependsOn: 'issue-8' });
  add('legit', '__typename anonymous', gql('{ __typename }', null), { accepted: true });
  add(
    'legit',
    'a page of 100 with history',
    gql(
      '{ tramites(first: 100) { totalCount nodes { id idt historico { situacao ocorridoEm } unidadeRemetente { sigla orgao { sigla } } } } }',
    ),
    { accepted: true },
  );
  add('legit', 'the unit tree 12 levels down', gql(`{ orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { sigla ${nest(9)} } } }`), {
    accepted: true,
  });
  add('legit', 'every unit of every agency', gql('{ orgaos(first: 100) { nodes { sigla todasUnidades { sigla nome } } } }'), {
    accepted: true,
  });
  // The costliest shapes still admitted (cost just under the limit): they bound how long one request
  // holds the embedded backend, which cannot cancel a statement.
  add(
    'legit',
    'unit tree four cycles deep under one agency (~38,000 units)',
    gql(
      '{ node(id: "T3JnYW86MQ==") { ... on Orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } } } }',
    ),
    { accepted: true },
  );
  add(
    'legit',
    'a page of 100 with history and both units',
    gql(
      '{ tramites(first: 100) { totalCount nodes { id idt situacao historico { situacao lado ator ocorridoEm } unidadeRemetente { sigla orgao { sigla } } unidadeDestinataria { sigla orgao { sigla } } } } }',
    ),
    { accepted: true },
  );
  add('legit', '15 aliases', gql(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: tramite(idt: "${i + 1}") { idt }`).join(' ')} }`), {
    accepted: true,
  });
  add(
    'legit',
    '300 aliases of __typename (free: graphql-armor does not count it)',
    gql(`{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
    { accepted: true },
  );
  add(
    'legit',
    'a 30-day token',
    {
      kind: 'http',
      auth: `Bearer ${await fx.sign({ ...gestorClaims, exp: now + 30 * 86_400 })}`,
      gql: { query: '{ painel { comoOrigem { total } } }' },
    },
    { accepted: true },
  );

  // ── body-size: refused by length before the body is read, chunked or not, with or without a token ──
  for (const bytes of [150_000, 1_000_000, 5_000_000, 20_000_000]) {
    for (const auth of ['gestor', null] as const) {
      const filler = 'x'.repeat(bytes);
      add(
        'body-size',
        `${bytes} B JSON (${auth ?? 'anonymous'})`,
        {
          kind: 'http',
          auth,
          body: JSON.stringify({ query: `{ __typename } # ${filler}` }),
          headers: { 'content-type': 'application/json' },
        },
        {
          codes: ['REQUEST_ENTITY_TOO_LARGE', 'UNAUTHENTICATED'],
        },
      );
      add(
        'body-size',
        `${bytes} B application/graphql (${auth ?? 'anonymous'})`,
        { kind: 'http', auth, body: `{ __typename } # ${filler}`, headers: { 'content-type': 'application/graphql' } },
        {
          codes: ['REQUEST_ENTITY_TOO_LARGE', 'UNAUTHENTICATED', 'BAD_REQUEST'],
        },
      );
    }
  }
  for (const bytes of [150_000, 3_000_000]) {
    add(
      'body-size',
      `${bytes} B of variables`,
      {
        kind: 'http',
        auth: 'gestor',
        body: JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(bytes) } }),
        headers: { 'content-type': 'application/json' },
      },
      { codes: ['REQUEST_ENTITY_TOO_LARGE'] },
    );
  }

  // ── anonymous: nothing but public introspection, refused before parsing ──
  const anonymous = [
    '{ tramites { totalCount } }',
    '{ painel { comoOrigem { total } } }',
    '{ __typename tramites { totalCount } }',
    '{ __schema { types { name } } tramites { totalCount } }',
    'query A { __typename } query B { tramites { totalCount } }',
    'mutation { darCienciaRecusa(input: { tramite: "x" }) { __typename } }',
    'subscription { eventosTramites { cursor } }',
    '{ tramites(',
    `{ ${'__typename '.repeat(5_000)} }`,
    `{ ${'a:'.repeat(3000)} }`,
    '{ node(id: "VHJhbWl0ZTox") { id } }',
    '{ orgaos { nodes { sigla } } }',
    '{ onboardings { etapa } }',
    '{ grafoSituacoes { situacoes { codigo } } }',
    `{ ${'{'.repeat(10_000)} }`,
    '',
    '#',
    'fragment F on Query { __typename } { ...F tramites { totalCount } }',
  ];
  // Two operations and no operationName: nothing runs (the introspection one is not picked either).
  for (const [i, query] of anonymous.entries()) {
    add('anonymous', `anonymous #${i}: ${query.slice(0, 40)}`, gql(query, null), {
      codes: ['UNAUTHENTICATED', ...(i === 4 ? ['OPERATION_RESOLUTION_FAILURE'] : [])],
    });
  }
  add(
    'anonymous',
    'anonymous operationName pointing at the data operation',
    { kind: 'http', auth: null, gql: { query: 'query A { __typename } query B { tramites { totalCount } }', operationName: 'B' } },
    { codes: ['UNAUTHENTICATED'] },
  );
  add(
    'anonymous',
    'anonymous GET data query',
    { kind: 'http', method: 'GET', auth: null, query: `query=${encodeURIComponent('{ tramites { totalCount } }')}` },
    { codes: ['UNAUTHENTICATED'] },
  );
  add(
    'anonymous',
    'anonymous SSE subscription',
    { kind: 'http', auth: null, sse: true, gql: { query: 'subscription { eventosTramites { cursor } }' } },
    { codes: ['UNAUTHENTICATED'] },
  );
  add(
    'anonymous',
    'anonymous introspection with 300 aliases',
    gql(`{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __schema { types { name } }`).join(' ')} }`, null),
    {
      codes: ['TOO_MANY_ALIASES', 'UNAUTHENTICATED'],
    },
  );

  // ── tokens: forged, expired, eternal, out-of-range claims: 401 UNAUTHENTICATED ──
  const badTokens: Array<[string, string]> = [
    ['wrong secret', `Bearer ${await signWith('another-secret-with-at-least-thirty-two-chars', gestorClaims)}`],
    ['alg none', `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(gestorClaims)}.`],
    ['HS512', `Bearer ${await fx.sign(gestorClaims, { alg: 'HS512' })}`],
    ['expired', `Bearer ${await fx.sign({ ...gestorClaims, iat: now - 7200, exp: now - 3600 })}`],
    ['no exp', `Bearer ${await fx.sign({ ...gestorClaims, exp: undefined })}`],
    ['lifetime of 10 years', `Bearer ${await fx.sign({ ...gestorClaims, exp: now + 10 * 365 * 86_400 })}`],
    ['lifetime of 1,000 years, no iat', `Bearer ${await fx.sign({ ...gestorClaims, iat: undefined, exp: now + 1000 * 365 * 86_400 })}`],
    ['not before in the future', `Bearer ${await fx.sign({ ...gestorClaims, nbf: now + 3600 })}`],
    ['estrutura 2^31', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 2 ** 31 } })}`],
    ['estrutura 2^53', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 2 ** 53 } })}`],
    ['estrutura 1e308', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 1e308 } })}`],
    ['estrutura -1', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: -1 } })}`],
    ['estrutura 0', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 0 } })}`],
    ['estrutura 1.5', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 1.5 } })}`],
    ['estrutura as a string', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: '1' } })}`],
    ['repositorio 2^31', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 2 ** 31, estrutura: 1 } })}`],
    [
      'repositorio 2^63 as a string',
      `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: '9223372036854775808', estrutura: 1 } })}`,
    ],
    ['orgao not registered', `Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 2_000_000_000 } })}`],
    ['orgao as an array', `Bearer ${await fx.sign({ ...gestorClaims, orgao: [1, 1] })}`],
    ['no sub', `Bearer ${await fx.sign({ ...gestorClaims, sub: undefined })}`],
    ['sub of 10,000 characters', `Bearer ${await fx.sign({ ...gestorClaims, sub: 's'.repeat(10_000) })}`],
    ['sub with a null byte', `Bearer ${await fx.sign({ ...gestorClaims, sub: 'ana\u0000@mgi' })}`],
    ['sub as a number', `Bearer ${await fx.sign({ ...gestorClaims, sub: 42 })}`],
    ['no roles', `Bearer ${await fx.sign({ ...gestorClaims, roles: [] })}`],
    ['unknown role', `Bearer ${await fx.sign({ ...gestorClaims, roles: ['ROOT'] })}`],
    ['roles as a string', `Bearer ${await fx.sign({ ...gestorClaims, roles: 'PEN_ADMIN' })}`],
    ['exp as a string', `Bearer ${await fx.sign({ ...gestorClaims, exp: String(now + 3600) })}`],
    ['exp 2^53', `Bearer ${await fx.sign({ ...gestorClaims, exp: 2 ** 53 })}`],
    ['truncated signature', `Bearer ${(await fx.sign(gestorClaims)).slice(0, -5)}`],
    ['payload swapped', `Bearer ${swapPayload(await fx.sign(gestorClaims), { ...gestorClaims, roles: ['PEN_ADMIN'] })}`],
    ['garbage', 'Bearer not.a.jwt'],
    ['one segment', 'Bearer abc'],
    ['Basic scheme', `Basic ${b64('user:pass')}`],
    ['Bearer and nothing', 'Bearer '],
    ['Bearer with two tokens', 'Bearer a b'],
    ['10 KB of token', `Bearer ${'a'.repeat(10_000)}`],
    ['null byte in the header value', 'Bearer abc%00def'],
  ];
  for (const [name, authorization] of badTokens) {
    add(
      'tokens',
      `token: ${name}`,
      { kind: 'http', auth: authorization, gql: { query: '{ painel { comoOrigem { total } } }' } },
      { codes: ['UNAUTHENTICATED'] },
    );
  }
  for (const [name, authorization] of badTokens.slice(0, 12)) {
    add(
      'tokens',
      `introspection with token: ${name}`,
      { kind: 'http', auth: authorization, gql: { query: '{ __typename }' } },
      { codes: ['UNAUTHENTICATED'] },
    );
  }

  // ── http: not GraphQL at all, or not the way it is allowed ──
  const json = { 'content-type': 'application/json' };
  const raw: Array<[string, Probe, string[]]> = [
    ['invalid JSON', { kind: 'http', auth: 'gestor', headers: json, body: '{"query": ' }, ['BAD_REQUEST']],
    [
      'JSON array (batching is off)',
      { kind: 'http', auth: 'gestor', headers: json, body: '[{"query":"{ __typename }"},{"query":"{ __typename }"}]' },
      ['BAD_REQUEST'],
    ],
    ['JSON string', { kind: 'http', auth: 'gestor', headers: json, body: '"{ __typename }"' }, ['BAD_REQUEST']],
    ['JSON null', { kind: 'http', auth: 'gestor', headers: json, body: 'null' }, ['BAD_REQUEST']],
    ['no query', { kind: 'http', auth: 'gestor', headers: json, body: '{}' }, ['BAD_REQUEST']],
    ['query is a number', { kind: 'http', auth: 'gestor', headers: json, body: '{"query": 42}' }, ['BAD_REQUEST']],
    ['query is an object', { kind: 'http', auth: 'gestor', headers: json, body: '{"query": {"a": 1}}' }, ['BAD_REQUEST']],
    [
      'variables is a string',
      { kind: 'http', auth: 'gestor', headers: json, body: '{"query":"{ __typename }","variables":"x"}' },
      ['BAD_REQUEST'],
    ],
    [
      'variables is an array',
      { kind: 'http', auth: 'gestor', headers: json, body: '{"query":"{ __typename }","variables":[1]}' },
      ['BAD_REQUEST'],
    ],
    [
      'operationName is a number',
      { kind: 'http', auth: 'gestor', headers: json, body: '{"query":"{ __typename }","operationName":5}' },
      ['BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE'],
    ],
    [
      'extensions is a string',
      { kind: 'http', auth: 'gestor', headers: json, body: '{"query":"{ __typename }","extensions":"x"}' },
      ['BAD_REQUEST'],
    ],
    [
      'unknown operationName',
      { kind: 'http', auth: 'gestor', gql: { query: 'query A { __typename }', operationName: 'B' } },
      ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE'],
    ],
    [
      'two anonymous operations',
      gql('{ __typename } { __typename }'),
      ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE'],
    ],
    ['syntax error', gql('{ tramites('), ['GRAPHQL_PARSE_FAILED']],
    ['unterminated string', gql('{ tramite(idt: "abc) { id } }'), ['GRAPHQL_PARSE_FAILED']],
    ['invalid character', gql('{ tramites \u0007 { totalCount } }'), ['GRAPHQL_PARSE_FAILED']],
    [
      'lone surrogate in the query',
      gql('{ tramite(idt: "\ud800") { id } }'),
      ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'],
    ],
    ['unknown field', gql('{ segredo }'), ['GRAPHQL_VALIDATION_FAILED']],
    ['unknown field on a type', gql('{ tramites { nodes { senha } } }'), ['GRAPHQL_VALIDATION_FAILED']],
    ['empty document', gql(''), ['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED']],
    ['only a comment', gql('# nada'), ['GRAPHQL_PARSE_FAILED']],
    ['fragment cycle', gql('fragment A on Query { ...B } fragment B on Query { ...A } { ...A }'), ['GRAPHQL_VALIDATION_FAILED']],
    ['undefined fragment', gql('{ ...Nada }'), ['GRAPHQL_VALIDATION_FAILED']],
    [
      'GET mutation',
      {
        kind: 'http',
        method: 'GET',
        auth: 'gestor',
        query: `query=${encodeURIComponent('mutation { darCienciaRecusa(input: { tramite: "x" }) { __typename } }')}`,
      },
      ['BAD_REQUEST', 'METHOD_NOT_ALLOWED'],
    ],
    [
      'GET without a query',
      { kind: 'http', method: 'GET', auth: 'gestor', headers: { accept: 'application/json' }, query: 'variables=%7B%7D' },
      ['BAD_REQUEST'],
    ],
    [
      'GET with broken variables',
      { kind: 'http', method: 'GET', auth: 'gestor', query: `query=${encodeURIComponent('{ __typename }')}&variables=%7B` },
      ['BAD_REQUEST'],
    ],
    [
      'PUT',
      { kind: 'http', method: 'PUT', auth: 'gestor', headers: json, body: '{"query":"{ __typename }"}' },
      ['BAD_REQUEST', 'METHOD_NOT_ALLOWED'],
    ],
    ['DELETE', { kind: 'http', method: 'DELETE', auth: 'gestor' }, ['BAD_REQUEST', 'METHOD_NOT_ALLOWED']],
    [
      'PATCH',
      { kind: 'http', method: 'PATCH', auth: 'gestor', headers: json, body: '{"query":"{ __typename }"}' },
      ['BAD_REQUEST', 'METHOD_NOT_ALLOWED'],
    ],
    [
      'text/plain body',
      { kind: 'http', auth: 'gestor', headers: { 'content-type': 'text/plain' }, body: '{ __typename }' },
      ['BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE'],
    ],
    [
      'unknown content type',
      { kind: 'http', auth: 'gestor', headers: { 'content-type': 'application/x-evil' }, body: 'x' },
      ['BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE'],
    ],
    [
      'multipart garbage',
      { kind: 'http', auth: 'gestor', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nnope\r\n--x--' },
      ['BAD_REQUEST'],
    ],
    [
      'form-urlencoded without query',
      { kind: 'http', auth: 'gestor', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' },
      ['BAD_REQUEST'],
    ],
    [
      'invalid UTF-8 body',
      { kind: 'http', auth: 'gestor', headers: json, body: new Uint8Array([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      ['BAD_REQUEST'],
    ],
    // An undeclared variable is ignored: an answer or a coded refusal, never a 500.
    [
      'JSON nested 100,000 deep',
      {
        kind: 'http',
        auth: 'gestor',
        headers: json,
        body: `{"query":"{ __typename }","variables":{"x":${'['.repeat(49_000)}${']'.repeat(49_000)}}}`,
      },
      ['BAD_REQUEST', 'BAD_USER_INPUT', 'NONE'],
    ],
  ];
  for (const [name, probe, codes] of raw) add('http', name, probe, { codes });

  // ── depth: deep nesting, refused as too deep or too many tokens, never a 500 ──
  for (const levels of [13, 20, 50, 100, 200, 400]) {
    add('depth', `subunidades ${levels} deep`, gql(`{ orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { ${nest(levels)} } } }`), {
      codes: ['QUERY_TOO_DEEP', 'TOO_MANY_TOKENS', 'QUERY_TOO_COSTLY'],
    });
  }
  for (const braces of [1_000, 10_000, 100_000]) {
    add('depth', `${braces} nested selection sets`, gql(`{ ${'orgaos { nodes { '.repeat(braces / 4)}sigla${' } }'.repeat(braces / 4)} }`), {
      codes: ['TOO_MANY_TOKENS', 'REQUEST_ENTITY_TOO_LARGE'],
    });
    add(
      'depth',
      `${braces} nested list values`,
      gql(`{ tramites(filtro: { situacoes: ${'['.repeat(braces)}${']'.repeat(braces)} }) { totalCount } }`),
      { codes: ['TOO_MANY_TOKENS', 'REQUEST_ENTITY_TOO_LARGE'] },
    );
    add(
      'depth',
      `${braces} nested input objects in variables`,
      { kind: 'http', auth: 'gestor', headers: { 'content-type': 'application/json' }, body: deepVariables(braces) },
      {
        codes: ['BAD_USER_INPUT', 'REQUEST_ENTITY_TOO_LARGE', 'BAD_REQUEST'],
      },
    );
  }
  add(
    'depth',
    'introspection 40 levels deep',
    gql(`{ __schema { types { ${'fields { type { '.repeat(20)}name${' } }'.repeat(20)} } } }`, null),
    { codes: ['INTROSPECTION_TOO_DEEP', 'QUERY_TOO_DEEP', 'UNAUTHENTICATED'], dependsOn: 'issue-8' },
  );

  // ── fragments: exponential spreads answer at once (the depth rule must memoise: the day-one issue) ──
  // Priced at 2^n by the cost model (memoised, linear time): refused as too costly from about 16 on.
  for (const n of [2, 4, 8, 12]) {
    add('fragments', `${n} fragments spreading the next twice (admissible)`, gql(exponentialFragments(n)), { accepted: true });
  }
  add('fragments', '16 fragments spreading the next twice', gql(exponentialFragments(16)), {
    codes: ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY'],
  });
  // 2^18 and 2^20 paths take seconds for a depth rule that does not memoise (the issue's 1,269-byte
  // document, 2^22, is test/exponential-fragments.test.ts; bigger ones would freeze such a rule for hours).
  for (const n of [18, 20]) {
    add('fragments', `${n} fragments spreading the next twice`, gql(exponentialFragments(n)), {
      codes: ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY'],
      dependsOn: 'issue-8',
    });
  }
  for (const n of [15, 30, 60])
    add('fragments', `${n} fragments, anonymous`, gql(exponentialFragments(n), null), { codes: ['UNAUTHENTICATED'] });

  // ── aliases, directives, tokens (graphql-armor) ──
  for (const n of [16, 50, 300, 900]) {
    add(
      'aliases',
      `${n} aliases of a field`,
      gql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: tramite(idt: "1") { idt }`).join(' ')} }`),
      { codes: ['TOO_MANY_ALIASES', 'TOO_MANY_TOKENS'] },
    );
    add(
      'aliases',
      `${n} aliased pages`,
      gql(`{ ${Array.from({ length: n }, (_, i) => `p${i}: tramites(first: 100) { nodes { id } }`).join(' ')} }`),
      { codes: ['TOO_MANY_ALIASES', 'TOO_MANY_TOKENS', 'QUERY_TOO_COSTLY'] },
    );
    add(
      'aliases',
      `${n} aliases of introspection (token)`,
      gql(`{ ${Array.from({ length: n }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`),
      { codes: ['TOO_MANY_ALIASES', 'TOO_MANY_TOKENS'] },
    );
  }
  add(
    'aliases',
    '16 aliases hidden in a fragment',
    gql(`fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `a${i}: grafoSituacoes { passos { de } }`).join(' ')} } { ...F }`),
    { codes: ['TOO_MANY_ALIASES'] },
  );
  for (const n of [51, 200, 1000]) {
    add('directives', `${n} @include`, gql(`{ __typename ${'@include(if: true) '.repeat(n)} }`), {
      codes: ['TOO_MANY_DIRECTIVES', 'TOO_MANY_TOKENS', 'GRAPHQL_VALIDATION_FAILED'],
    });
    add('directives', `${n} @skip on fields`, gql(`{ ${Array.from({ length: n }, () => '__typename @skip(if: false)').join(' ')} }`), {
      codes: ['TOO_MANY_DIRECTIVES', 'TOO_MANY_TOKENS'],
    });
  }
  add('directives', 'unknown directive', gql('{ __typename @evil }'), { codes: ['GRAPHQL_VALIDATION_FAILED'] });
  add('directives', '@include without if', gql('{ __typename @include }'), { codes: ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'] });
  for (const n of [1_001, 5_000, 50_000]) {
    add('tokens-limit', `${n} tokens of __typename`, gql(`{ ${'__typename '.repeat(n)} }`), {
      codes: ['TOO_MANY_TOKENS', 'REQUEST_ENTITY_TOO_LARGE'],
    });
    add(
      'tokens-limit',
      `${n} tokens in a list literal`,
      gql(`{ tramites(filtro: { situacoes: [${'RECUSADO '.repeat(n)}] }) { totalCount } }`),
      { codes: ['TOO_MANY_TOKENS', 'REQUEST_ENTITY_TOO_LARGE'] },
    );
    add('tokens-limit', `${n} tokens over WebSocket-sized docs, anonymous`, gql(`{ ${'__typename '.repeat(n)} }`, null), {
      codes: ['UNAUTHENTICATED', 'REQUEST_ENTITY_TOO_LARGE'],
    });
  }

  // ── cost: the unit tree under a page, and friends, priced out with the computed cost ──
  const costly: Array<[string, string, unknown?, string[]?]> = [
    ['the issue query: unit tree under a page', UNIT_TREE_UNDER_A_PAGE],
    ['the issue query aliased 4 times', `{ ${[0, 1, 2, 3].map((i) => `a${i}: ${UNIT_TREE_UNDER_A_PAGE.slice(1, -1)}`).join(' ')} }`],
    [
      'unit tree under a page of orgaos',
      '{ orgaos(first: 100) { nodes { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } }',
    ],
    [
      'subunidades/unidadePai ping-pong under a page',
      `{ tramites(first: 100) { nodes { unidadeRemetente { ${'subunidades { unidadePai { '.repeat(5)}sigla${' } }'.repeat(5)} } } } }`,
      undefined,
      ['QUERY_TOO_DEEP'],
    ],
    [
      'history of every trâmite of every unit',
      '{ orgaos(first: 100) { nodes { todasUnidades { orgao { todasUnidades { sigla orgao { todasUnidades { sigla } } } } } } } }',
    ],
    [
      'first through a variable',
      'query($n: Int) { tramites(first: $n) { nodes { unidadeRemetente { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } } } }',
      { n: 100 },
    ],
    [
      'last: 100 with trees',
      '{ tramites(last: 100) { nodes { unidadeRemetente { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } } } }',
    ],
    [
      'three pages of trees',
      `{ ${['a', 'b', 'c'].map((a) => `${a}: tramites(first: 100) { nodes { unidadeRemetente { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } } }`).join(' ')} }`,
    ],
    [
      'tree inside a fragment spread by a page',
      'fragment T on Orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } { tramites(first: 100) { nodes { unidadeRemetente { orgao { ...T } } } } }',
    ],
    [
      'tree in an inline fragment on node, five cycles',
      '{ node(id: "T3JnYW86MQ==") { ... on Orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla } } } } } } } } } } } }',
    ],
  ];
  for (const [name, query, variables, also = []] of costly)
    add('cost', name, gql(query, 'gestor', variables), { codes: ['QUERY_TOO_COSTLY', ...also] });
  for (const [name, query, variables, also = []] of costly.slice(0, 4))
    add('cost', `${name} (PEN_ADMIN)`, gql(query, 'admin', variables), { codes: ['QUERY_TOO_COSTLY', ...also] });

  // ── null bytes: every string argument, as a literal and as a variable ──
  const nul = 'abc\u0000def';
  const nullByteFields: Array<[string, string, (v: string) => unknown]> = [
    ['tramite(idt:)', 'query($v: String) { tramite(idt: $v) { id } }', (v) => ({ v })],
    ['filtro.numeroProcesso', 'query($v: String) { tramites(filtro: { numeroProcesso: $v }) { totalCount } }', (v) => ({ v })],
    ['filtro.nre', 'query($v: String) { tramites(filtro: { nre: $v }) { totalCount } }', (v) => ({ v })],
    ['orgaos(busca:)', 'query($v: String) { orgaos(busca: $v) { totalCount } }', (v) => ({ v })],
    ['after', 'query($v: String) { tramites(after: $v) { totalCount } }', (v) => ({ v })],
    ['node(id:)', 'query($v: ID!) { node(id: $v) { id } }', (v) => ({ v })],
    ['aPartirDe over HTTP', 'query($v: String) { tramite(idt: $v) { idt } }', (v) => ({ v })],
    [
      'iniciarTramite numeroProcesso',
      'mutation($v: String!, $r: ID!, $d: ID!) { iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: $v, unidadeRemetente: $r, unidadeDestinataria: $d }) { __typename } }',
      (v) => ({ v, r: fx.unidade, d: fx.unidade }),
    ],
    [
      'iniciarTramite descricao',
      'mutation($v: String, $r: ID!, $d: ID!) { iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: "1", descricao: $v, unidadeRemetente: $r, unidadeDestinataria: $d }) { __typename } }',
      (v) => ({ v, r: fx.unidade, d: fx.unidade }),
    ],
    [
      'iniciarTramite chaveIdempotencia',
      'mutation($v: String, $r: ID!, $d: ID!) { iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: "1", chaveIdempotencia: $v, unidadeRemetente: $r, unidadeDestinataria: $d }) { __typename } }',
      (v) => ({ v, r: fx.unidade, d: fx.unidade }),
    ],
    [
      'recusarTramite justificativa',
      'mutation($v: String!, $t: ID!) { recusarTramite(input: { tramite: $t, motivo: MOTIVO_99, justificativa: $v }) { __typename } }',
      (v) => ({ v, t: fx.tramite }),
    ],
    [
      'darCienciaRecusa chaveIdempotencia',
      'mutation($v: String, $t: ID!) { darCienciaRecusa(input: { tramite: $t, chaveIdempotencia: $v }) { __typename } }',
      (v) => ({ v, t: fx.tramite }),
    ],
  ];
  for (const [name, query, vars] of nullByteFields) {
    for (const [variant, value] of [
      ['in the middle', nul],
      ['alone', '\u0000'],
      ['at the end', 'abc\u0000'],
    ] as const) {
      add('null-bytes', `${name}: null byte ${variant} (variable)`, gql(query, 'gestor', vars(value)), { codes: ['BAD_USER_INPUT'] });
    }
  }
  const literalNullByte: Array<[string, string]> = [
    ['tramite(idt:) literal', '{ tramite(idt: "abc\\u0000") { id } }'],
    ['filtro.numeroProcesso literal', '{ tramites(filtro: { numeroProcesso: "\\u0000" }) { totalCount } }'],
    ['filtro.nre literal', '{ tramites(filtro: { nre: "x\\u0000y" }) { totalCount } }'],
    ['orgaos(busca:) literal', '{ orgaos(busca: "\\u0000") { totalCount } }'],
    ['after literal', '{ tramites(after: "\\u0000") { totalCount } }'],
    ['node(id:) literal', '{ node(id: "\\u0000") { id } }'],
    ['block string literal', '{ orgaos(busca: """a\u0000b""") { totalCount } }'],
    [
      'recusarTramite literal',
      `mutation { recusarTramite(input: { tramite: "${fx.tramite}", motivo: MOTIVO_99, justificativa: "\\u0000" }) { __typename } }`,
    ],
  ];
  for (const [name, query] of literalNullByte) add('null-bytes', name, gql(query), { codes: ['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED'] });
  add(
    'null-bytes',
    'null byte in a variable name key',
    gql('query($v: String) { tramite(idt: $v) { id } }', 'gestor', { v: 'a', 'x\u0000': 'y' }),
    { codes: ['BAD_USER_INPUT'] },
  );

  // ── dates: calendar dates only, no roll-over, no year 0000 ──
  const badDates = [
    '2026-02-30',
    '2026-02-29',
    '2024-02-30',
    '2026-04-31',
    '2026-06-31',
    '2026-09-31',
    '2026-11-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-01-01',
    '0000-00-00',
    '9999-12-32',
    '2026-12-31T24:00:00Z',
    '2026-12-31T23:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-01-01T25:00Z',
    '2026-01-01T10:00:00+24:00',
    '2026-01-01T10:00:00+05:60',
    '2026-02-30T10:00:00Z',
    '2026-1-1',
    '26-01-01',
    '2026/01/01',
    '01/02/2026',
    '',
    ' ',
    'now',
    'yesterday',
    '2026-01-01T',
    '2026-01-01T10',
    '2026-01-01 10:00:00Z',
    '+002026-01-01',
    '-000001-01-01',
    '2026-01-01T10:00:00.1234567Z',
    '2026-W01',
    '2026-001',
    '9'.repeat(40),
    '2026-01-01T10:00:00Zjunk',
    '2026-01-01\u0000',
  ];
  const dateArgs: Array<[string, (v: string) => Probe]> = [
    ['filtro.criadoDesde', (v) => gql('query($v: DateTime) { tramites(filtro: { criadoDesde: $v }) { totalCount } }', 'gestor', { v })],
    ['filtro.criadoAte', (v) => gql('query($v: DateTime) { tramites(filtro: { criadoAte: $v }) { totalCount } }', 'gestor', { v })],
    ['painel(desde:)', (v) => gql('query($v: DateTime) { painel(desde: $v) { comoOrigem { total } } }', 'gestor', { v })],
    ['painel(ate:) literal', (v) => gql(`{ painel(ate: ${JSON.stringify(v)}) { comoOrigem { total } } }`)],
  ];
  for (const date of badDates) {
    for (const [arg, probe] of dateArgs)
      add('dates', `${arg} = ${JSON.stringify(date).slice(0, 30)}`, probe(date), { codes: ['BAD_USER_INPUT'] });
  }
  for (const notAString of [20260101, true, { y: 2026 }, [2026, 1, 1], 1e308]) {
    add(
      'dates',
      `filtro.criadoDesde = ${JSON.stringify(notAString)}`,
      gql('query($v: DateTime) { tramites(filtro: { criadoDesde: $v }) { totalCount } }', 'gestor', { v: notAString }),
      { codes: ['BAD_USER_INPUT'] },
    );
  }
  for (const good of ['2024-02-29', '2026-12-31T23:59:59Z', '2026-01-01T10:00:00-03:00', '0001-01-01']) {
    add(
      'legit',
      `a valid date ${good}`,
      gql('query($v: DateTime) { tramites(filtro: { criadoDesde: $v }) { totalCount } }', 'gestor', { v: good }),
      { accepted: true },
    );
  }

  // ── ids and scalars: malformed global ids, numbers out of range, enums ──
  const badIds = [
    '',
    ' ',
    'x',
    '====',
    '!!!',
    'VHJhbWl0ZQ==',
    gid('Tramite', ''),
    gid('Tramite', '-1'),
    gid('Tramite', '0'),
    gid('Tramite', '1.5'),
    gid('Tramite', '1e3'),
    gid('Tramite', '9223372036854775808'),
    gid('Tramite', '99999999999999999999999'),
    gid('Tramite', 'abc'),
    gid('Tramite', '1;drop table tramites'),
    gid('Tramite', ' 1'),
    gid('UnidadeAdministrativa', '2147483648'),
    gid('Orgao', '-5'),
    gid('', '1'),
    gid('Tramite', '0x10'),
    'VHJhbWl0ZTox\u0000',
    'VHJhbWl0ZTox=',
    'é',
    '😀',
    'a'.repeat(10_000),
  ];
  for (const id of badIds) {
    add('ids', `node(id: ${JSON.stringify(id).slice(0, 30)})`, gql('query($id: ID!) { node(id: $id) { id } }', 'gestor', { id }), {
      codes: ['BAD_USER_INPUT'],
    });
    add('ids', `tramite(id: ${JSON.stringify(id).slice(0, 30)})`, gql('query($id: ID) { tramite(id: $id) { idt } }', 'gestor', { id }), {
      codes: ['BAD_USER_INPUT'],
    });
  }
  // Well-formed ids of nothing readable: null, not an error ("unknown ids return null").
  for (const id of [gid('Tramite', 1), gid('Nada', 1), gid('__proto__', 1), gid('Tramite', 2 ** 52)]) {
    add('ids', `node(id: ${id}) is null`, gql('query($id: ID!) { node(id: $id) { id } }', 'gestor', { id }), { codes: ['NONE'] });
  }
  const badScalars: Array<[string, string, unknown]> = [
    ['first: -1', 'query($v: Int) { tramites(first: $v) { totalCount } }', -1],
    ['first: 2^31', 'query($v: Int) { tramites(first: $v) { totalCount } }', 2 ** 31],
    ['first: 1.5', 'query($v: Int) { tramites(first: $v) { totalCount } }', 1.5],
    ['first: "10"', 'query($v: Int) { tramites(first: $v) { totalCount } }', '10'],
    ['first: 1e308', 'query($v: Int) { tramites(first: $v) { totalCount } }', 1e308],
    ['first and last', 'query($v: Int) { tramites(first: $v, last: 2) { totalCount } }', 2],
    ['paradoHaMaisDeDias: 2^31', 'query($v: Int) { tramites(filtro: { paradoHaMaisDeDias: $v }) { totalCount } }', 2 ** 31],
    ['paradoHaMaisDeDias: -1', 'query($v: Int) { tramites(filtro: { paradoHaMaisDeDias: $v }) { totalCount } }', -1],
    ['paradoHaMaisDeDias: 10^9', 'query($v: Int) { tramites(filtro: { paradoHaMaisDeDias: $v }) { totalCount } }', 1_000_000_000],
    ['situacoes: lower case', 'query($v: [SituacaoTramite!]) { tramites(filtro: { situacoes: $v }) { totalCount } }', ['recusado']],
    ['situacoes: unknown', 'query($v: [SituacaoTramite!]) { tramites(filtro: { situacoes: $v }) { totalCount } }', ['HACKED']],
    ['situacoes: number', 'query($v: [SituacaoTramite!]) { tramites(filtro: { situacoes: $v }) { totalCount } }', [1]],
    ['situacoes: null item', 'query($v: [SituacaoTramite!]) { tramites(filtro: { situacoes: $v }) { totalCount } }', [null]],
    ['ordem: unknown', 'query($v: OrdemTramites) { tramites(ordem: $v) { totalCount } }', 'ALEATORIA'],
    ['filtro: a string', 'query($v: FiltroTramitesInput) { tramites(filtro: $v) { totalCount } }', 'x'],
    ['filtro: unknown field', 'query($v: FiltroTramitesInput) { tramites(filtro: $v) { totalCount } }', { senha: 1 }],
    [
      'filtro.__proto__',
      'query($v: FiltroTramitesInput) { tramites(filtro: $v) { totalCount } }',
      JSON.parse('{"__proto__": {"admin": true}}'),
    ],
    ['orgao(repositorio: 2^31)', 'query($v: Int!) { orgao(repositorio: $v, numeroIdentificacao: 1) { sigla } }', 2 ** 31],
    [
      'orgao(numeroIdentificacao: -2^31 - 1)',
      'query($v: Int!) { orgao(repositorio: 1, numeroIdentificacao: $v) { sigla } }',
      -(2 ** 31) - 1,
    ],
    ['orgaos(busca:) 10,000 chars', 'query($v: String) { orgaos(busca: $v) { totalCount } }', 'a'.repeat(10_000)],
    ['tramite(idt:) not a number', 'query($v: String) { tramite(idt: $v) { id } }', 'abc'],
    ['tramite(idt:) 2^63', 'query($v: String) { tramite(idt: $v) { id } }', '9223372036854775808'],
    ['tramite(idt:) negative', 'query($v: String) { tramite(idt: $v) { id } }', '-1'],
    ['tramite(idt:) 40 digits', 'query($v: String) { tramite(idt: $v) { id } }', '9'.repeat(40)],
    ['required variable missing', 'query($v: ID!) { node(id: $v) { id } }', undefined],
    ['variable of an unknown type', 'query($v: Segredo) { __typename }', 1],
  ];
  for (const [name, query, v] of badScalars)
    add('scalars', name, gql(query.replace('{ totalCount }', '{ totalCount nodes { id } }'), 'gestor', v === undefined ? {} : { v }), {
      codes: ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'],
    });

  // ── cursors: tampered Relay cursors are BAD_USER_INPUT before any SQL (the day-one issue) ──
  const decoded = Buffer.from(fx.cursor, 'base64').toString('utf8');
  const tampered = [
    'DC:N:9223372036854775808',
    'DC:N:-1',
    'DC:N:1.5',
    'DC:N:1e400',
    'DC:N:NaN',
    'DC:N:',
    'DC:S:abc',
    'DC:S:',
    'DC:J:[1]',
    'DC:J:[]',
    'DC:J:{}',
    'DC:J:null',
    'DC:J:["x","y"]',
    'DC:J:[9223372036854775808,1]',
    'DC:J:[1,"drop table"]',
    'DC:D:notadate',
    'DC:X:1',
    'DC:',
    'XX:N:1',
    decoded.replace(/\d+/, '99999999999999999999'),
    decoded.replace(/\d/, '-'),
    `${decoded}junk`,
  ];
  for (const text of tampered) {
    for (const arg of ['after', 'before']) {
      add(
        'cursors',
        `${arg}: ${text.slice(0, 30)}`,
        gql(`query($c: String) { tramites(${arg}: $c, ${arg === 'after' ? 'first' : 'last'}: 2) { totalCount nodes { id } } }`, 'gestor', {
          c: b64(text),
        }),
        {
          codes: ['BAD_USER_INPUT'],
          dependsOn: 'issue-8',
        },
      );
    }
  }

  // ── mutations: tampered inputs get a coded error or an Erro union member, never a 500 ──
  const badMutations: Array<[string, string, Record<string, unknown>]> = [
    [
      'iniciarTramite: unit of another agency',
      'mutation($r: ID!) { r: iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: "1", unidadeRemetente: $r, unidadeDestinataria: $r }) { __typename ... on Erro { codigo } } }',
      { r: gid('UnidadeAdministrativa', 2_000_000) },
    ],
    [
      'iniciarTramite: tramite id as unit',
      'mutation($r: ID!) { r: iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: "1", unidadeRemetente: $r, unidadeDestinataria: $r }) { __typename ... on Erro { codigo } } }',
      { r: gid('Tramite', 1) },
    ],
    [
      'iniciarTramite: numeroProcesso of 10,000 chars',
      'mutation($v: String!, $r: ID!) { r: iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: $v, unidadeRemetente: $r, unidadeDestinataria: $r }) { __typename ... on Erro { codigo } } }',
      { v: '1'.repeat(10_000), r: fx.unidade },
    ],
    [
      'iniciarTramite: unknown tipo',
      'mutation($t: TipoTramitavel!, $r: ID!) { r: iniciarTramite(input: { tipo: $t, numeroProcesso: "1", unidadeRemetente: $r, unidadeDestinataria: $r }) { __typename } }',
      { t: 'BOMBA', r: fx.unidade },
    ],
    ['iniciarTramite: input null', 'mutation($i: IniciarTramiteInput!) { r: iniciarTramite(input: $i) { __typename } }', { i: null }],
    [
      'iniciarTramite: chave of 10,000 chars',
      'mutation($v: String, $r: ID!) { r: iniciarTramite(input: { tipo: PROCESSO, numeroProcesso: "1", chaveIdempotencia: $v, unidadeRemetente: $r, unidadeDestinataria: $r }) { __typename ... on Erro { codigo } } }',
      { v: 'k'.repeat(10_000), r: fx.unidade },
    ],
    [
      'recusarTramite: justificativa of 100,000 chars',
      'mutation($v: String!, $t: ID!) { r: recusarTramite(input: { tramite: $t, motivo: MOTIVO_99, justificativa: $v }) { __typename ... on Erro { codigo } } }',
      { v: 'j'.repeat(90_000), t: fx.tramite },
    ],
    [
      'recusarTramite: unknown motivo',
      'mutation($m: MotivoRecusa!, $t: ID!) { r: recusarTramite(input: { tramite: $t, motivo: $m, justificativa: "x" }) { __typename } }',
      { m: 'PORQUE_SIM', t: fx.tramite },
    ],
    [
      'darCienciaRecusa: versaoEsperada 2^31',
      'mutation($t: ID!) { r: darCienciaRecusa(input: { tramite: $t, versaoEsperada: 2147483648 }) { __typename } }',
      { t: fx.tramite },
    ],
    [
      'darCienciaRecusa: versaoEsperada -1',
      'mutation($t: ID!) { r: darCienciaRecusa(input: { tramite: $t, versaoEsperada: -1 }) { __typename ... on Erro { codigo } } }',
      { t: fx.tramite },
    ],
    [
      'darCienciaRecusa: situacaoEsperada unknown',
      'mutation($t: ID!, $s: SituacaoTramite) { r: darCienciaRecusa(input: { tramite: $t, situacaoEsperada: $s }) { __typename } }',
      { t: fx.tramite, s: 'ZERO' },
    ],
    [
      'darCienciaRecusa: tramite of another agency',
      'mutation($t: ID!) { r: darCienciaRecusa(input: { tramite: $t }) { __typename ... on Erro { codigo } } }',
      { t: fx.recusado.id },
    ],
    [
      'darCienciaRecusa: tramite 2^53',
      'mutation($t: ID!) { r: darCienciaRecusa(input: { tramite: $t }) { __typename ... on Erro { codigo } } }',
      { t: gid('Tramite', '9007199254740993') },
    ],
    [
      'enviarReciboConclusao: orgao id as tramite',
      'mutation($t: ID!) { r: enviarReciboConclusao(input: { tramite: $t }) { __typename ... on Erro { codigo } } }',
      { t: gid('Orgao', 1) },
    ],
    [
      'cancelarTramite: extra input field',
      'mutation($i: CancelarTramiteInput!) { r: cancelarTramite(input: $i) { __typename } }',
      { i: { tramite: fx.tramite, admin: true } },
    ],
    [
      'two mutations, one bad',
      'mutation($t: ID!) { a: darCienciaRecusa(input: { tramite: $t }) { __typename } b: darCienciaRecusa(input: { tramite: "!!!" }) { __typename } }',
      { t: fx.tramite },
    ],
    [
      'aprovarCadastro as a gestor',
      'mutation($o: ID!) { r: aprovarCadastro(input: { orgao: $o }) { __typename ... on Erro { codigo } } }',
      { o: gid('Orgao', 1) },
    ],
    [
      'confirmarRequisito: unknown requisito',
      'mutation($o: ID!) { r: confirmarRequisito(input: { orgao: $o, ambiente: PRODUCAO, codigo: "NADA" }) { __typename ... on Erro { codigo } } }',
      { o: gid('Orgao', 1) },
    ],
  ];
  // A mutation refuses with a member of its result union (`Erro { codigo }`) or a coded GraphQL error.
  for (const [name, query, variables] of badMutations)
    add('mutations', name, gql(query, 'gestor', variables), {
      codes: ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN', ANY_ERRO],
    });

  // ── visibility: the destinatário that refused a trâmite sees nothing of it, in any read path ──
  const leak = [`"${fx.recusado.idt}"`];
  const viewer = 'destinatarioRecusou';
  const reads: Array<[string, string, Record<string, unknown>]> = [
    ['tramite(id:)', 'query($id: ID) { tramite(id: $id) { idt numeroProcesso } }', { id: fx.recusado.id }],
    ['tramite(idt:)', 'query($idt: String) { tramite(idt: $idt) { idt numeroProcesso } }', { idt: fx.recusado.idt }],
    ['node(id:)', 'query($id: ID!) { node(id: $id) { ... on Tramite { idt numeroProcesso } } }', { id: fx.recusado.id }],
    [
      'tramites(filtro: numeroProcesso)',
      'query($n: String) { tramites(first: 100, filtro: { numeroProcesso: $n }) { nodes { idt numeroProcesso } } }',
      { n: fx.recusado.numeroProcesso },
    ],
    ['tramites, every page', '{ tramites(first: 100) { nodes { idt numeroProcesso } } }', {}],
    ['tramites as DESTINO', '{ tramites(first: 100, filtro: { papel: DESTINO }) { nodes { idt numeroProcesso } } }', {}],
    [
      'tramites refused',
      '{ tramites(first: 100, filtro: { situacoes: [RECUSADO, CIENCIA_RECUSA] }) { nodes { idt numeroProcesso } } }',
      {},
    ],
    [
      'a mutation on it',
      'mutation($t: ID!) { r: darCienciaRecusa(input: { tramite: $t }) { __typename ... on TransicaoRealizada { tramite { idt } } ... on Erro { codigo } } }',
      { t: fx.recusado.id },
    ],
  ];
  for (const [name, query, variables] of reads)
    add('visibility', name, gql(query, viewer, variables), {
      mustNotContain: leak,
      codes: ['NONE', 'BAD_USER_INPUT', 'NOT_FOUND', ANY_ERRO],
    });
  add(
    'visibility',
    'SSE replay from 0',
    {
      kind: 'http',
      auth: viewer,
      sse: true,
      gql: { query: 'subscription { eventosTramites(aPartirDe: "0") { cursor tramite { idt } } }' },
    },
    { mustNotContain: leak, codes: ['NONE'] },
  );
  add(
    'visibility',
    'SSE eventosTramite on it',
    {
      kind: 'http',
      auth: viewer,
      sse: true,
      gql: { query: `subscription { eventosTramite(tramite: "${fx.recusado.id}", aPartirDe: "0") { cursor tramite { idt } } }` },
    },
    { mustNotContain: leak, codes: ['NOT_FOUND'] },
  );

  // ── websocket: protocol abuse, message size, tokens ──
  const init = (authorization: string | null) =>
    JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} });
  const sub = (query: string, variables?: unknown, id = '1') => JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });
  const ws = (
    name: string,
    auth: string | null,
    frames: Array<string | Uint8Array>,
    codes: Array<string | number>,
    extra: Partial<Case> = {},
  ) => add('websocket', name, { kind: 'ws', auth, frames }, { codes, ...extra });
  ws(
    'message above maxPayload before init',
    null,
    [JSON.stringify({ type: 'connection_init', payload: { x: 'x'.repeat(200_000) } })],
    [1009],
  );
  ws('message above maxPayload after init', 'gestor', [init('gestor'), sub(`{ __typename } # ${'x'.repeat(200_000)}`)], [1009]);
  ws('binary garbage', null, [new Uint8Array([0, 1, 2, 255])], [4400, 1003]);
  ws('invalid JSON', null, ['{"type":'], [4400]);
  ws('unknown message type', null, [JSON.stringify({ type: 'hack' })], [4400]);
  ws('subscribe before connection_init', null, [sub('{ __typename }')], [4401]);
  ws('anonymous connection_init', null, [init(null)], [4403]);
  ws('two connection_init', 'gestor', [init('gestor'), init('gestor')], [4429]);
  ws('connection_init with a payload of the wrong type', null, [JSON.stringify({ type: 'connection_init', payload: 'x' })], [4400, 4403]);
  ws(
    'estrutura 2^31 token',
    null,
    [init(`Bearer ${await fx.sign({ ...gestorClaims, orgao: { repositorio: 1, estrutura: 2 ** 31 } })}`)],
    [4403],
  );
  ws('expired token', null, [init(`Bearer ${await fx.sign({ ...gestorClaims, iat: now - 7200, exp: now - 3600 })}`)], [4403]);
  ws('token without exp', null, [init(`Bearer ${await fx.sign({ ...gestorClaims, exp: undefined })}`)], [4403]);
  ws('token valid for 10 years', null, [init(`Bearer ${await fx.sign({ ...gestorClaims, exp: now + 10 * 365 * 86_400 })}`)], [4403]);
  ws('subscribe with a syntax error', 'gestor', [init('gestor'), sub('subscription { eventosTramites(')], ['GRAPHQL_PARSE_FAILED']);
  ws(
    'subscribe with too many tokens',
    'gestor',
    [init('gestor'), sub(`subscription { eventosTramites { ${'cursor '.repeat(2_000)} } }`)],
    ['TOO_MANY_TOKENS'],
  );
  ws(
    'subscribe with a costly document',
    'gestor',
    [
      init('gestor'),
      sub(
        'subscription { eventosTramites { tramite { unidadeRemetente { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { orgao { todasUnidades { sigla nome } } } } } } } } } } } }',
      ),
    ],
    ['QUERY_TOO_COSTLY'],
  );
  ws(
    'subscribe with a null byte',
    'gestor',
    [init('gestor'), sub('subscription($c: String) { eventosTramites(aPartirDe: $c) { cursor } }', { c: '\u0000' })],
    ['BAD_USER_INPUT'],
  );
  ws(
    'subscribe with a bad cursor',
    'gestor',
    [init('gestor'), sub('subscription { eventosTramites(aPartirDe: "-1") { cursor } }')],
    ['BAD_USER_INPUT'],
  );
  ws(
    'subscribe with 16 aliases',
    'gestor',
    [init('gestor'), sub(`subscription { eventosTramites { ${Array.from({ length: 16 }, (_, i) => `a${i}: cursor`).join(' ')} } }`)],
    ['TOO_MANY_ALIASES'],
  );
  ws('subscribe to an unknown field', 'gestor', [init('gestor'), sub('subscription { segredo }')], ['GRAPHQL_VALIDATION_FAILED']);
  ws(
    'duplicate subscription id',
    'gestor',
    [init('gestor'), sub('subscription { eventosTramites { cursor } }'), sub('subscription { eventosTramites { cursor } }')],
    [4409],
  );
  add(
    'websocket',
    'a 30-day token stays connected',
    {
      kind: 'ws',
      auth: 'gestor',
      frames: [init(`Bearer ${await fx.sign({ ...gestorClaims, exp: now + 30 * 86_400 })}`)],
      expectOpenMs: 600,
    },
    { accepted: true },
  );

  return cases;
}

/** A request whose variables nest `levels` objects deep (written as text: JSON.stringify would overflow). */
function deepVariables(levels: number): string {
  return `{"query":"query($f: FiltroTramites) { tramites(filtro: $f) { totalCount } }","variables":{"f":${'{"numeroProcesso":'.repeat(levels)}"x"${'}'.repeat(levels)}}}`;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function signWith(secret: string, claims: Record<string, unknown>): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function swapPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64url(claims)}.${signature}`;
}
