// Bad input through the gateway's HTTP handler (in process: Yoga's fetch, the same plugins as a socket): unknown ids are null, malformed arguments are BAD_USER_INPUT (naming the
// argument where the gateway knows it), nothing is a 500, nothing leaks a stack trace or SQL.
// One backend is enough: this is about the GraphQL layer, not the database.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/gateway.js';
import { gid } from './support/ids.js';
import { PEN_ADMIN } from './support/accounts.js';

/** Every response body this file saw, for the leak checks at the end. */
const bodies: { what: string; status: number; text: string }[] = [];

describe(`${BACKENDS[0]}`, () => {
  let gw: TestApp;
  let admin: string;
  let statements = 0;

  /** POST /graphql keeping the raw body text. */
  async function send(
    what: string,
    query: string,
    variables?: Record<string, unknown>,
    token: string | null = admin,
  ): Promise<GraphQLResponse> {
    const response = await gw.fetch({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    bodies.push({ what, status: response.status, text });
    expect(response.status, `${what}: ${text}`).toBeLessThan(500);
    return { status: response.status, ...(JSON.parse(text) as object) };
  }

  async function expectBadInput(what: string, query: string, variables?: Record<string, unknown>, argument?: string | RegExp) {
    const res = await send(what, query, variables);
    expect(res.errors?.length ?? 0, `${what}: expected an error`).toBeGreaterThan(0);
    const error = res.errors![0]!;
    expect(error.extensions?.code, `${what}: ${JSON.stringify(res.errors)}`).toBe('BAD_USER_INPUT');
    if (argument !== undefined) {
      if (typeof argument === 'string') expect(error.extensions?.argument, `${what}: ${JSON.stringify(error)}`).toBe(argument);
      else expect(error.extensions?.argument, `${what}: ${JSON.stringify(error)}`).toMatch(argument);
    }
    expect(error.message, what).not.toMatch(/^Unexpected error/);
    // No partial data for a field whose arguments were refused.
    if (res.data)
      expect(
        Object.values(res.data).every((v) => v === null),
        what,
      ).toBe(true);
    return error;
  }

  beforeAll(async () => {
    // The feeds' safety-net poll far beyond the run: `statements` then counts only what a request sends.
    gw = await startTestApp(BACKENDS[0]!, { onQuery: () => void statements++, feedPollMs: 3_600_000 });
    admin = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  describe('unknown ids are null, never an error', () => {
    let maxTramite: number;
    let maxEstrutura: number;
    beforeAll(async () => {
      const [m] = await gw.database.rows<{ t: number; e: number }>(
        'select (select max(id) from tramites)::int t, (select max(id) from estruturas)::int e',
      );
      maxTramite = m!.t;
      maxEstrutura = m!.e;
    });

    test('tramite (by id and by idt) and orgao (by id and by pair)', async () => {
      const res = await send(
        'unknown ids',
        `query($t: ID!, $o: ID!) {
          porId: tramite(id: $t) { id }
          porIdt: tramite(idt: "1") { id }
          orgao(id: $o) { id }
          porNumero: orgao(repositorio: 1, numeroIdentificacao: 999999999) { id }
          outroRepositorio: orgao(repositorio: 424242, numeroIdentificacao: 1) { id }
        }`,
        { t: gid('Tramite', maxTramite + 1000), o: gid('Orgao', maxEstrutura + 1000) },
      );
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ porId: null, porIdt: null, orgao: null, porNumero: null, outroRepositorio: null });
    });

    test('node(id:) of an id that does not exist, for each node type', async () => {
      const res = await send(
        'unknown node ids',
        `query($t: ID!, $o: ID!, $u: ID!) { nt: node(id: $t) { id } no: node(id: $o) { id } nu: node(id: $u) { id } }`,
        {
          t: gid('Tramite', maxTramite + 1000),
          o: gid('Orgao', maxEstrutura + 1000),
          u: gid('UnidadeAdministrativa', maxEstrutura + 1000),
        },
      );
      expect(res.status).toBe(200);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data).toEqual({ nt: null, no: null, nu: null });
    });

    test('node(id:) naming a type that does not exist is null or BAD_USER_INPUT', async () => {
      const res = await send('unknown type', `{ node(id: "${gid('Processo', 1)}") { id } }`);
      expect(res.data?.node ?? null).toBeNull();
      if (res.errors) expect(res.errors[0]!.extensions?.code, JSON.stringify(res.errors)).toBe('BAD_USER_INPUT');
    });

    test('an IDT at the edge of the accepted range is null, not a database error', async () => {
      const res = await send('big idt', '{ tramite(idt: "999999999999999") { id } }');
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ tramite: null });
    });

    test('a unit is not an agency: orgao(id:) and node(id:) with an Orgao id of a unit are null', async () => {
      const [unit] = await gw.database.rows<{ id: number }>('select id from estruturas where pai_id is not null order by id limit 1');
      const res = await send('unit as orgao', `query($id: ID!) { orgao(id: $id) { id } node(id: $id) { __typename id } }`, {
        id: gid('Orgao', unit!.id),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ orgao: null, node: null });
    });
  });

  describe('malformed arguments are BAD_USER_INPUT', () => {
    test('malformed global id', async () => {
      await expectBadInput('not base64', '{ tramite(id: "%%%not-base64%%%") { id } }', undefined, 'id');
      await expectBadInput('no separator', `{ tramite(id: "${Buffer.from('Tramite').toString('base64')}") { id } }`, undefined, 'id');
      await expectBadInput('node: not base64', '{ node(id: "@@@") { id } }', undefined, 'id');
      await expectBadInput('as variable', 'query($id: ID) { tramite(id: $id) { id } }', { id: 'garbage!!' }, 'id');
    });

    test('a global id of another type', async () => {
      await expectBadInput('orgao id given to tramite', `{ tramite(id: "${gid('Orgao', 1)}") { id } }`, undefined, 'id');
      await expectBadInput('tramite id given to orgao', `{ orgao(id: "${gid('Tramite', 1)}") { id } }`, undefined, 'id');
      await expectBadInput('tramite id as filter orgao', `{ tramites(filtro: { orgao: "${gid('Tramite', 1)}" }) { totalCount } }`);
    });

    test('a global id whose key is not a usable number is null or BAD_USER_INPUT, never an unexpected error', async () => {
      const cases: [string, string][] = [];
      for (const key of ['abc', '1.5', '-1', '99999999999999999999']) {
        cases.push([`tramite Tramite:${key}`, `{ x: tramite(id: "${gid('Tramite', key)}") { id } }`]);
        cases.push([`node Tramite:${key}`, `{ x: node(id: "${gid('Tramite', key)}") { id } }`]);
      }
      cases.push(['orgao beyond int4', `{ x: orgao(id: "${gid('Orgao', 3_000_000_000)}") { id } }`]);
      cases.push(['filter orgao not a number', `{ x: tramites(filtro: { orgao: "${gid('Orgao', 'abc')}" }) { nodes { id } } }`]);
      const failures: string[] = [];
      for (const [what, query] of cases) {
        const res = await send(what, query);
        const code = res.errors?.[0]?.extensions?.code;
        if (res.errors ? code !== 'BAD_USER_INPUT' : res.data?.x !== null && !Array.isArray(res.data?.x?.nodes)) {
          failures.push(`${what}: ${JSON.stringify(res.errors ?? res.data)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    test('both or neither of id/idt, and half of the orgao pair', async () => {
      await expectBadInput('tramite with both', `{ tramite(id: "${gid('Tramite', 1)}", idt: "1") { id } }`, undefined, 'id');
      await expectBadInput('tramite with neither', '{ tramite { id } }', undefined, 'id');
      await expectBadInput('orgao with half a pair', '{ orgao(repositorio: 1) { id } }', undefined, 'numeroIdentificacao');
      await expectBadInput('idt not a number', '{ tramite(idt: "12a") { id } }', undefined, 'idt');
    });

    test('malformed cursor (the argument is named exactly; test/cursors.test.ts has every misuse)', async () => {
      await expectBadInput('after', '{ tramites(first: 5, after: "not-a-cursor") { nodes { id } } }', undefined, 'after');
      await expectBadInput('before', '{ tramites(last: 5, before: "bm90LWEtY3Vyc29y") { totalCount nodes { id } } }', undefined, 'before');
      await expectBadInput('orgaos after', '{ orgaos(first: 5, after: "!!") { edges { cursor } } }', undefined, 'after');
      // A cursor of another ordering (orgaos) given to tramites.
      const orgaos = await send('orgaos cursor', '{ orgaos(first: 1) { pageInfo { endCursor } } }');
      await expectBadInput(
        'foreign cursor',
        'query($c: String) { tramites(first: 5, after: $c) { nodes { id } } }',
        { c: `${orgaos.data!.orgaos.pageInfo.endCursor.slice(0, -2)}!!` },
        'after',
      );
    });

    test('negative first and last', async () => {
      await expectBadInput('first -1', '{ tramites(first: -1) { nodes { id } } }', undefined, 'first');
      await expectBadInput('last -1', '{ tramites(last: -1) { totalCount nodes { id } } }', undefined, 'last');
      await expectBadInput('first as variable', 'query($n: Int) { orgaos(first: $n) { nodes { id } } }', { n: -5 }, 'first');
      await expectBadInput('first and last together', '{ tramites(first: 2, last: 2) { nodes { id } } }', undefined, 'first/last');
    });

    test('unknown enum value, as a literal and as a variable', async () => {
      await expectBadInput('literal', '{ tramites(filtro: { situacoes: [PERDIDO] }) { totalCount } }', undefined, 'situacoes');
      await expectBadInput('literal ordem', '{ tramites(ordem: ALEATORIA) { totalCount } }', undefined, 'ordem');
      await expectBadInput(
        'variable',
        'query($s: [SituacaoTramite!]) { tramites(filtro: { situacoes: $s }) { totalCount } }',
        { s: ['CONCLUIDO', 'PERDIDO'] },
        '$s',
      );
      await expectBadInput('numeric code for an enum', 'query($o: OrdemTramites) { tramites(ordem: $o) { totalCount } }', { o: 1 }, '$o');
    });

    test('invalid date, as a literal and as a variable', async () => {
      await expectBadInput('literal', '{ tramites(filtro: { criadoDesde: "ontem" }) { totalCount } }');
      await expectBadInput('impossible date literal', '{ tramites(filtro: { criadoAte: "2026-02-30T99:00:00Z" }) { totalCount } }');
      await expectBadInput('painel literal', '{ painel(ate: "amanhã") { comoOrigem { total } } }');
      await expectBadInput(
        'variable',
        'query($d: DateTime) { tramites(filtro: { criadoDesde: $d }) { totalCount } }',
        { d: '31/12/2025' },
        '$d',
      );
      await expectBadInput(
        'variable, not a string',
        'query($d: DateTime) { painel(desde: $d) { comoOrigem { total } } }',
        { d: 12345 },
        '$d',
      );
      await expectBadInput(
        'impossible date variable',
        'query($d: DateTime) { painel(ate: $d) { comoOrigem { total } } }',
        { d: '2026-13-01' },
        '$d',
      );
    });

    test('an invalid DateTime literal names its argument, like every other bad input', async () => {
      await expectBadInput('literal', '{ tramites(filtro: { criadoDesde: "ontem" }) { totalCount } }', undefined, 'criadoDesde');
      await expectBadInput('painel literal', '{ painel(ate: "amanhã") { comoOrigem { total } } }', undefined, 'ate');
    });

    test('criadoDesde after criadoAte', async () => {
      await expectBadInput(
        'tramites',
        '{ tramites(filtro: { criadoDesde: "2026-03-02", criadoAte: "2026-03-01" }) { totalCount } }',
        undefined,
        'filtro.criadoAte',
      );
      await expectBadInput('painel', '{ painel(desde: "2026-03-02", ate: "2026-03-01") { comoOrigem { total } } }', undefined, 'ate');
    });

    test('paradoHaMaisDeDias negative', async () => {
      await expectBadInput('literal', '{ tramites(filtro: { paradoHaMaisDeDias: -1 }) { totalCount } }', undefined, /paradoHaMaisDeDias/);
      await expectBadInput(
        'variable',
        'query($f: FiltroTramites) { tramites(filtro: $f) { totalCount } }',
        { f: { paradoHaMaisDeDias: -3 } },
        /paradoHaMaisDeDias/,
      );
    });

    test('nre that is not 16 digits', async () => {
      for (const nre of ['123', '00000000000000001', 'abcdefghijklmnop', '000000000000000 ']) {
        await expectBadInput(
          `nre ${JSON.stringify(nre)}`,
          'query($nre: String) { tramites(filtro: { nre: $nre }) { totalCount } }',
          { nre },
          /nre/,
        );
      }
    });

    test('a wrongly typed argument and a missing required variable', async () => {
      await expectBadInput('string for Int', '{ tramites(first: "dez") { totalCount } }', undefined, 'first');
      await expectBadInput('missing variable', 'query($id: ID!) { node(id: $id) { id } }', {}, '$id');
      await expectBadInput('busca too long', 'query($b: String) { orgaos(busca: $b) { totalCount } }', { b: 'x'.repeat(101) }, 'busca');
    });
  });

  test('a huge `first` is capped at 100 items', async () => {
    const total = (await gw.database.rows<{ n: number }>("select count(*)::int n from tramites where ambiente = 'PRODUCAO'"))[0]!.n;
    expect(total).toBeGreaterThan(100);
    const res = await send('first 10000', '{ tramites(first: 10000) { totalCount pageInfo { hasNextPage } nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.tramites.nodes.length).toBe(100);
    expect(res.data!.tramites.totalCount).toBe(total);
    expect(res.data!.tramites.pageInfo.hasNextPage).toBe(true);
    const last = await send('last 10000', '{ tramites(last: 10000) { nodes { id } } }');
    expect(last.data!.tramites.nodes.length).toBe(100);
  });

  test('a query nested deeper than 12 levels is refused as QUERY_TOO_DEEP, before touching the database', async () => {
    const nest = (levels: number): string => (levels === 0 ? 'sigla' : `sigla subunidades { ${nest(levels - 1)} }`);
    // orgao(1) > unidades(2) > subunidades... : depth = 2 + levels + 1 leaf.
    const deep = `{ orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { ${nest(11)} } } }`;
    statements = 0;
    const res = await send('too deep', deep);
    expect(statements).toBe(0);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(res.data ?? null).toBeNull();
    // Through a fragment it is still counted.
    const viaFragment = await send(
      'too deep via fragment',
      `fragment F on UnidadeAdministrativa { ${nest(11)} } { orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { ...F } } }`,
    );
    expect(viaFragment.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    // Twelve levels are fine.
    const ok = await send('12 levels', `{ orgao(repositorio: 1, numeroIdentificacao: 1) { unidades { ${nest(9)} } } }`);
    expect(ok.errors).toBeUndefined();
  });

  test('requests that are not GraphQL at all are 4xx, not 500', async () => {
    const cases: [string, RequestInit][] = [
      [
        'invalid JSON',
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: '{"query": ' },
      ],
      ['no query', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: '{}' }],
      [
        'syntax error',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: '{"query":"{ tramites("}',
        },
      ],
      [
        'unknown field',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: '{"query":"{ segredo }"}',
        },
      ],
    ];
    for (const [what, init] of cases) {
      const response = await gw.fetch(init);
      const text = await response.text();
      bodies.push({ what, status: response.status, text });
      expect(response.status, `${what}: ${text}`).toBeLessThan(500);
      expect(JSON.parse(text).errors?.length, what).toBeGreaterThan(0);
    }
  });

  test('no response body carries a stack trace or SQL text, and no status was 500', () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const { what, status, text } of bodies) {
      expect(status, what).toBeLessThan(500);
      const lower = text.toLowerCase();
      for (const leak of ['select ', 'node_modules', 'drizzle', 'postgres', 'pglite', '.ts:', '.js:', 'stack', 'failed query']) {
        expect(lower.includes(leak), `${what} leaks ${JSON.stringify(leak)}: ${text}`).toBe(false);
      }
      // " at " as in a stack frame ("at fn (file:///...:1:2)", "at /app/x.js:1:2"); plain words such as
      // graphql-js's 'got invalid value "X" at "s[1]"' or "at the same time" are not leaks.
      expect(/\sat (\S+ \()?(file:|node:|\/|[A-Za-z]:\\)/.test(text), `${what} leaks a stack frame: ${text}`).toBe(false);
      expect(/:\d+:\d+\)?(\\n|$)/m.test(text), `${what} leaks a source position: ${text}`).toBe(false);
    }
  });
});
