// Who may ask, and what each viewer sees, through the gateway's HTTP handler (in process). Visibility is checked against SQL that
// states the rule of docs/domain.md directly: an agency sees the trâmites it sent, and those it receives
// unless it refused them (8, 9); PEN_ADMIN sees all.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { mintToken, type TokenClaims } from '../src/identity/tokens.js';
import { BACKENDS } from './support/backends.js';
import { startTestApp, TEST_JWT_SECRET, type GraphQLResponse, type TestApp } from './support/gateway.js';
import { gid, dbId } from './support/ids.js';
import { PEN_ADMIN } from './support/accounts.js';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

const DATA_QUERY = '{ tramites(first: 1) { totalCount } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';

function expectUnauthenticated(res: GraphQLResponse, what: string) {
  expect(res.status, what).toBe(401);
  expect(res.errors?.length ?? 0, what).toBeGreaterThan(0);
  expect(
    res.errors!.every((e) => e.extensions?.code === 'UNAUTHENTICATED'),
    `${what}: ${JSON.stringify(res.errors)}`,
  ).toBe(true);
  expect(res.data ?? null, what).toBeNull();
}

interface Agency {
  id: number;
  sigla: string;
  repositorio_id: number;
  numero_identificacao: number;
}

interface TramiteRow {
  id: number;
  idt: string;
  nre: string;
  situacao: number;
  remetente_orgao_id: number;
  destinatario_orgao_id: number;
}

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestApp;
  let agencies: Agency[];
  let admin: string;

  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => gw.database.rows<T>(sql, params);
  const claimsFor = (a: Agency, roles: TokenClaims['roles'] = ['GESTOR_PROTOCOLO']): TokenClaims => ({
    sub: `teste@${a.sigla.toLowerCase()}`,
    orgao: { repositorio: a.repositorio_id, estrutura: a.numero_identificacao },
    roles,
  });
  const gestorOf = (a: Agency) => gw.token(claimsFor(a));
  const agency = (id: number) => agencies.find((a) => a.id === id)!;

  /** Raw POST, for headers the `gql` helper does not send. */
  async function post(body: unknown, headers: Record<string, string>): Promise<GraphQLResponse> {
    const response = await gw.fetch({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  /** Every trâmite id the listing shows this token (bounded walk). */
  async function visibleIds(token: string): Promise<{ ids: number[]; totalCount: number }> {
    const q = `query($after: String) { tramites(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`;
    const found: number[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let page = 0; page < 20; page++) {
      const res: GraphQLResponse = await gw.gql(q, { after }, token);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      const c = res.data!.tramites;
      totalCount = c.totalCount;
      found.push(...c.nodes.map((n: { id: string }) => dbId(n.id)));
      if (!c.pageInfo.hasNextPage) return { ids: sorted(found), totalCount };
      after = c.pageInfo.endCursor;
    }
    throw new Error('more than 20 pages of trâmites');
  }

  const expectedVisible = async (orgaoId: number) =>
    sorted(
      (
        await rows<{ id: number }>(
          `select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites
            where remetente_orgao_id = $1 or (destinatario_orgao_id = $1 and situacao not in (8, 9))`,
          [orgaoId],
        )
      ).map((r) => r.id),
    );

  /** What one token sees of one trâmite through each way of reaching it. */
  async function seenThroughEveryPath(token: string, t: TramiteRow) {
    const data = await gw.gql(
      `query($id: ID!, $idt: String!, $nre: String!) {
          porId: tramite(id: $id) { id codigoSituacao }
          porIdt: tramite(idt: $idt) { id }
          node(id: $id) { id ... on Tramite { idt } }
          tramites(filtro: { nre: $nre }, first: 100) { totalCount nodes { id } }
        }`,
      { id: gid('Tramite', t.id), idt: t.idt, nre: t.nre },
      token,
    );
    expect(data.errors, JSON.stringify(data.errors)).toBeUndefined();
    const d = data.data!;
    return {
      porId: d.porId !== null,
      porIdt: d.porIdt !== null,
      node: d.node !== null,
      lista: (d.tramites.nodes as { id: string }[]).some((n) => dbId(n.id) === t.id),
    };
  }
  const everywhere = { porId: true, porIdt: true, node: true, lista: true };
  const nowhere = { porId: false, porIdt: false, node: false, lista: false };

  beforeAll(async () => {
    gw = await startTestApp(backend);
    agencies = await rows<Agency>(
      'select id, sigla, repositorio_id, numero_identificacao from estruturas where pai_id is null order by id',
    );
    admin = await gw.tokenOf(PEN_ADMIN);
  });

  afterAll(async () => {
    await gw?.close();
  });

  describe('authentication', () => {
    test('no token: a data query is refused as UNAUTHENTICATED', async () => {
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, null), 'tramites');
      expectUnauthenticated(await gw.gql('{ orgaos(first: 1) { totalCount } }', {}, null), 'orgaos');
      expectUnauthenticated(await gw.gql('{ painel { comoOrigem { total } } }', {}, null), 'painel');
      expectUnauthenticated(await gw.gql(`{ node(id: "${gid('Tramite', 1)}") { id } }`, {}, null), 'node');
    });

    test('anonymous introspection works when public; mixing it with data is still refused', async () => {
      const res = await gw.gql(INTROSPECTION, {}, null);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expectUnauthenticated(await gw.gql(`{ __schema { queryType { name } } tramites(first: 1) { totalCount } }`, {}, null), 'mixed');
    });

    test('a malformed Authorization header is UNAUTHENTICATED, even for introspection', async () => {
      for (const authorization of ['Basic dXNlcjpzZW5oYQ==', 'Bearer', 'Bearer a b', 'Token abc', 'bearer-without-space']) {
        expectUnauthenticated(await post({ query: DATA_QUERY }, { authorization }), authorization);
        expectUnauthenticated(await post({ query: INTROSPECTION }, { authorization }), `${authorization} (introspection)`);
      }
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, 'not-a-jwt'), 'not-a-jwt');
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, 'a.b.c'), 'a.b.c');
    });

    test('a token signed with another secret is UNAUTHENTICATED', async () => {
      const claims = claimsFor(agencies[0]!);
      const forged = await mintToken('another-secret-that-is-also-long-enough-123', claims);
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, forged), 'other secret');
      // The same claims with the right secret work: the signature is what was refused.
      const good = await mintToken(TEST_JWT_SECRET, claims);
      expect((await gw.gql(DATA_QUERY, {}, good)).errors).toBeUndefined();
      // A tampered payload with the original signature is refused too.
      const [h, , s] = good.split('.');
      const payload = Buffer.from(JSON.stringify({ sub: 'x', roles: ['PEN_ADMIN'], exp: Math.floor(Date.now() / 1000) + 3600 })).toString(
        'base64url',
      );
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, `${h}.${payload}.${s}`), 'tampered');
    });

    test('an expired token is UNAUTHENTICATED', async () => {
      const claims = claimsFor(agencies[0]!);
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token(claims, '-1h')), "expiresIn '-1h'");
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token(claims, Math.floor(Date.now() / 1000) - 120)), 'past exp');
      const admin = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'))!;
      expectUnauthenticated(
        await gw.gql(DATA_QUERY, {}, await gw.token({ sub: admin.sujeito, orgao: null, roles: admin.papeis }, '-1h')),
        'expired PEN_ADMIN',
      );
    });

    test('a token naming an agency that is not registered is UNAUTHENTICATED', async () => {
      const [{ max }] = (await rows<{ max: number }>('select max(numero_identificacao)::int max from estruturas')) as [{ max: number }];
      const ghost: TokenClaims = {
        sub: 'fantasma',
        orgao: { repositorio: agencies[0]!.repositorio_id, estrutura: max + 1 },
        roles: ['GESTOR_PROTOCOLO'],
      };
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token(ghost)), 'unknown agency');
      // A unit (not a root) is not an agency either.
      const [unit] = await rows<{ repositorio_id: number; numero_identificacao: number }>(
        'select repositorio_id, numero_identificacao from estruturas where pai_id is not null order by id limit 1',
      );
      const asUnit: TokenClaims = {
        sub: 'unidade',
        orgao: { repositorio: unit!.repositorio_id, estrutura: unit!.numero_identificacao },
        roles: ['GESTOR_PROTOCOLO'],
      };
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token(asUnit)), 'unit as agency');
    });

    test('a token without roles, or with an unknown role, is UNAUTHENTICATED', async () => {
      const base = claimsFor(agencies[0]!);
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token({ ...base, roles: [] })), 'no roles');
      expectUnauthenticated(await gw.gql(DATA_QUERY, {}, await gw.token({ ...base, roles: ['ROOT' as never] })), 'unknown role');
    });
  });

  describe('visibility', () => {
    test('each agency’s gestor sees exactly the trâmites it sent or receives and did not refuse', async () => {
      let someHidden = false;
      for (const a of agencies) {
        const expected = await expectedVisible(a.id);
        const got = await visibleIds(await gestorOf(a));
        expect(got.ids, a.sigla).toEqual(expected);
        expect(got.totalCount, a.sigla).toBe(expected.length);
        const refusedAsRecipient = await rows(
          "select 1 from (select * from tramites where ambiente = 'PRODUCAO') tramites where destinatario_orgao_id = $1 and situacao in (8, 9)",
          [a.id],
        );
        if (refusedAsRecipient.length > 0) someHidden = true;
      }
      expect(someHidden).toBe(true);
    });

    test.each([8, 9])(
      'a refused trâmite (%i) is visible to the remetente and hidden from the destinatário, through every path',
      async (situacao) => {
        const refused = await rows<TramiteRow>(
          `select id::int, idt::text, nre, situacao, remetente_orgao_id, destinatario_orgao_id from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao = $1 order by id`,
          [situacao],
        );
        expect(refused.length).toBeGreaterThan(0);
        for (const t of refused) {
          expect(await seenThroughEveryPath(await gestorOf(agency(t.remetente_orgao_id)), t), `remetente, IDT ${t.idt}`).toEqual(
            everywhere,
          );
          expect(await seenThroughEveryPath(await gestorOf(agency(t.destinatario_orgao_id)), t), `destinatário, IDT ${t.idt}`).toEqual(
            nowhere,
          );
          expect(await seenThroughEveryPath(admin, t), `PEN_ADMIN, IDT ${t.idt}`).toEqual(everywhere);
        }
      },
    );

    test('a trâmite in any other situação is visible to both sides, and to no third agency', async () => {
      const sample = await rows<TramiteRow>(
        `select distinct on (situacao) id::int, idt::text, nre, situacao, remetente_orgao_id, destinatario_orgao_id
           from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao not in (8, 9) order by situacao, id`,
      );
      expect(sample.length).toBe(8);
      for (const t of sample) {
        expect(await seenThroughEveryPath(await gestorOf(agency(t.remetente_orgao_id)), t), `remetente, ${t.situacao}`).toEqual(everywhere);
        expect(await seenThroughEveryPath(await gestorOf(agency(t.destinatario_orgao_id)), t), `destinatário, ${t.situacao}`).toEqual(
          everywhere,
        );
        const third = agencies.find((a) => a.id !== t.remetente_orgao_id && a.id !== t.destinatario_orgao_id)!;
        expect(await seenThroughEveryPath(await gestorOf(third), t), `third agency, ${t.situacao}`).toEqual(nowhere);
      }
    });

    test('node(id:) hides a trâmite from a gestor even when only __typename or id is asked', async () => {
      const [t] = await rows<TramiteRow>(
        `select id::int, idt::text, nre, situacao, remetente_orgao_id, destinatario_orgao_id from (select * from tramites where ambiente = 'PRODUCAO') tramites where situacao in (8, 9) order by id limit 1`,
      );
      const token = await gestorOf(agency(t!.destinatario_orgao_id));
      for (const selection of ['__typename', 'id', '... on Tramite { idt }']) {
        const res = await gw.gql(`query($id: ID!) { node(id: $id) { ${selection} } }`, { id: gid('Tramite', t!.id) }, token);
        expect(res.errors, selection).toBeUndefined();
        expect(res.data!.node, selection).toBeNull();
      }
      const third = agencies.find((a) => a.id !== t!.remetente_orgao_id && a.id !== t!.destinatario_orgao_id)!;
      const res = await gw.gql(`query($id: ID!) { node(id: $id) { __typename } }`, { id: gid('Tramite', t!.id) }, await gestorOf(third));
      expect(res.data!.node).toBeNull();
    });

    test('PEN_ADMIN sees all trâmites', async () => {
      const all = sorted(
        (await rows<{ id: number }>("select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites")).map((r) => r.id),
      );
      const got = await visibleIds(admin);
      expect(got.ids).toEqual(all);
      expect(got.totalCount).toBe(all.length);
    });

    test('an SPE token behaves like a gestor of its agency', async () => {
      const spe = DEMO_ACCOUNTS.find((a) => a.papeis.includes('SPE') && a.descricao.includes('MGI'))!;
      const gestor = DEMO_ACCOUNTS.find((a) => a.papeis.includes('GESTOR_PROTOCOLO') && a.orgao?.estrutura === spe.orgao!.estrutura)!;
      const orgaoId = agencies.find(
        (a) => a.repositorio_id === spe.orgao!.repositorio && a.numero_identificacao === spe.orgao!.estrutura,
      )!.id;
      const speToken = await gw.tokenOf(spe.sujeito);
      const viaSpe = await visibleIds(speToken);
      expect(viaSpe.ids).toEqual(await expectedVisible(orgaoId));
      expect(viaSpe.ids).toEqual((await visibleIds(await gw.tokenOf(gestor.sujeito))).ids);
      // The refusal rule holds for the SPE too.
      const refused = await rows<TramiteRow>(
        `select id::int, idt::text, nre, situacao, remetente_orgao_id, destinatario_orgao_id from (select * from tramites where ambiente = 'PRODUCAO') tramites
          where situacao in (8, 9) and (remetente_orgao_id = $1 or destinatario_orgao_id = $1) order by id`,
        [orgaoId],
      );
      for (const t of refused) {
        expect(await seenThroughEveryPath(speToken, t), `IDT ${t.idt}`).toEqual(t.remetente_orgao_id === orgaoId ? everywhere : nowhere);
      }
      // And so does the panel: its own agency only.
      const painel = await gw.gql('{ painel { orgao { id } } }', {}, speToken);
      expect(painel.data!.painel.orgao.id).toBe(gid('Orgao', orgaoId));
      const other = agencies.find((a) => a.id !== orgaoId)!;
      const forbidden = await gw.gql(`{ painel(orgao: "${gid('Orgao', other.id)}") { total: comoOrigem { total } } }`, {}, speToken);
      expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    test('a gestor token without an agency sees no trâmite', async () => {
      const token = await gw.token({ sub: 'sem-orgao', orgao: null, roles: ['GESTOR_PROTOCOLO'] });
      const got = await visibleIds(token);
      expect(got).toEqual({ ids: [], totalCount: 0 });
      const [t] = await rows<{ id: number }>(
        "select id::int from (select * from tramites where ambiente = 'PRODUCAO') tramites order by id limit 1",
      );
      const res = await gw.gql(`query($id: ID!) { tramite(id: $id) { id } node(id: $id) { id } }`, { id: gid('Tramite', t!.id) }, token);
      expect(res.data).toEqual({ tramite: null, node: null });
    });
  });
});

describe.each(BACKENDS)('%s, introspection not public', (backend) => {
  let gw: TestApp;

  beforeAll(async () => {
    gw = await startTestApp(backend, { seed: false, introspectionPublic: false });
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('anonymous introspection is refused; with a token it works', async () => {
    expectUnauthenticated(await gw.gql(INTROSPECTION, {}, null), 'anonymous introspection');
    expectUnauthenticated(await gw.gql('{ __type(name: "Tramite") { name } }', {}, null), 'anonymous __type');
    const admin = await gw.tokenOf(PEN_ADMIN);
    const res = await gw.gql(INTROSPECTION, {}, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
