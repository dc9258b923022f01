// Every cursor misuse is BAD_USER_INPUT on `after`/`before`, refused before any SQL: a cursor from the
// other ordering, from the other connection, edited by hand or plain garbage. Never "Unexpected error.".
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

const TRAMITES = (ordem: string, argument = 'after') =>
  `query($c: String) { tramites(first: 2, ordem: ${ordem}, ${argument}: $c) { totalCount pageInfo { endCursor } nodes { idt } } }`;
const ORGAOS = (argument = 'after') =>
  `query($c: String) { orgaos(first: 2, ${argument}: $c) { totalCount pageInfo { endCursor } nodes { sigla } } }`;

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let admin: string;
  let statements = 0;
  const cursors: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway(backend, { onQuery: () => void statements++, feedPollMs: 600_000 });
    admin = await gw.tokenOf(PEN_ADMIN);
    cursors.recentes = (await gw.ok(TRAMITES('MAIS_RECENTES'), {}, admin)).tramites.pageInfo.endCursor;
    cursors.parados = (await gw.ok(TRAMITES('PARADOS_HA_MAIS_TEMPO'), {}, admin)).tramites.pageInfo.endCursor;
    cursors.orgaos = (await gw.ok(ORGAOS(), {}, admin)).orgaos.pageInfo.endCursor;
  });

  afterAll(async () => {
    await gw?.close();
  });

  async function expectRefused(what: string, query: string, cursor: string, argument = 'after') {
    statements = 0;
    const res = await gw.gql(query, { c: cursor }, admin);
    expect(res.status, what).toBe(200);
    const error = res.errors?.[0];
    expect(error?.extensions?.code, `${what}: ${JSON.stringify(res.errors)}`).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.argument, what).toBe(argument);
    expect(error?.message, what).not.toMatch(/Unexpected error/);
    expect(res.data ?? null, what).toBeNull();
    expect(statements, `${what}: SQL statements sent`).toBe(0);
  }

  test('the cursors a connection hands out page on (the control)', async () => {
    for (const [ordem, cursor] of [
      ['MAIS_RECENTES', cursors.recentes],
      ['PARADOS_HA_MAIS_TEMPO', cursors.parados],
    ] as const) {
      const page = await gw.ok(TRAMITES(ordem), { c: cursor }, admin);
      expect(page.tramites.nodes.length, ordem).toBe(2);
    }
    expect((await gw.ok(ORGAOS(), { c: cursors.orgaos }, admin)).orgaos.nodes.length).toBe(2);
  });

  test('a cursor from the other ordering is refused', async () => {
    await expectRefused('recentes → parados', TRAMITES('PARADOS_HA_MAIS_TEMPO'), cursors.recentes!);
    await expectRefused('parados → recentes', TRAMITES('MAIS_RECENTES'), cursors.parados!);
    await expectRefused('parados → recentes (before)', TRAMITES('MAIS_RECENTES', 'before'), cursors.parados!, 'before');
  });

  test('a cursor from the other connection (other type) is refused', async () => {
    await expectRefused('orgaos → tramites', TRAMITES('MAIS_RECENTES'), cursors.orgaos!);
    await expectRefused('orgaos → tramites parados', TRAMITES('PARADOS_HA_MAIS_TEMPO'), cursors.orgaos!);
    await expectRefused('tramites → orgaos', ORGAOS(), cursors.recentes!);
    await expectRefused('tramites parados → orgaos', ORGAOS(), cursors.parados!);
    await expectRefused('tramites → orgaos (before)', ORGAOS('before'), cursors.recentes!, 'before');
  });

  test('tampered or garbage cursor contents are refused', async () => {
    const garbage = [
      'abc',
      '!!!',
      b64('hello'),
      b64('DC:'),
      b64('DC:N:abc'),
      b64('DC:N:1.5'),
      b64('DC:N:1e400'),
      b64('DC:S:42'),
      b64('DC:D:not-a-date'),
      b64('DC:X:1'),
      b64('DC:O:{"id":1}'),
      b64('DC:T:not json'),
      b64('DC:T:["D:abc","N:1"]'),
      b64('DC:T:["D:1700000000000"]'),
      b64('DC:T:["D:1700000000000","N:1","N:2"]'),
      b64('DC:T:["S:x","S:y"]'),
      b64(`DC:S:${'x'.repeat(5_000)}`),
      b64('GPC:N:1'),
    ];
    for (const cursor of garbage) {
      const label = Buffer.from(cursor, 'base64').toString('utf8').slice(0, 40);
      await expectRefused(`recentes ← ${label}`, TRAMITES('MAIS_RECENTES'), cursor);
      await expectRefused(`parados ← ${label}`, TRAMITES('PARADOS_HA_MAIS_TEMPO'), cursor);
      await expectRefused(`orgaos ← ${label}`, ORGAOS(), cursor);
    }
  });
});
