// Feeds that must end, end once: token expiry and shutdown over SSE answer one coded terminal error
// and close the stream; a token valid longer than setTimeout's range (~24.9 days) still works over
// WebSocket; replay is judged by the trâmite's current state (the replay-after-refusal leak).
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { FilaLimitada } from '../src/feeds/fila.js';
import { MAX_TIMER_DELAY_MS, runAt } from '../src/feeds/long-timeout.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';

const gid = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');
const DAY_MS = 86_400_000;

/** Posts a subscription as GraphQL over SSE and reads the stream until it ends or `ms` pass. */
async function sse(url: string, token: string, query: string, ms: number, onOpen?: () => void): Promise<{ events: any[]; ended: boolean }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  onOpen?.();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buffer = '';
  let ended = false;
  const until = Date.now() + ms;
  try {
    while (Date.now() < until) {
      let timer: NodeJS.Timeout | undefined;
      const read = await Promise.race([
        reader.read(),
        new Promise<null>((r) => (timer = setTimeout(() => r(null), until - Date.now()))),
      ]).finally(() => clearTimeout(timer));
      if (!read) break;
      if (read.done) {
        ended = true;
        break;
      }
      buffer += decoder.decode(read.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5))
          .join('\n');
        if (data.trim()) events.push(JSON.parse(data));
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { events, ended };
}

describe('timers and queues', () => {
  test('runAt waits past setTimeout’s range and fires once, at the instant', () => {
    vi.useFakeTimers();
    try {
      const start = Date.now();
      const fired: number[] = [];
      runAt(new Date(start + 40 * DAY_MS), () => fired.push(Date.now() - start));
      vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1_000);
      expect(fired).toEqual([]); // a plain setTimeout would have fired at once
      vi.advanceTimersByTime(40 * DAY_MS);
      expect(fired).toEqual([40 * DAY_MS]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a queue that ended with an error rejects once, then is done (no error loop)', async () => {
    const fila = new FilaLimitada<number>(2, () => {});
    fila.push(1);
    fila.push(2);
    expect(fila.push(3)).toBe(false); // overflow: ended as a slow consumer, queue freed
    expect(fila.pendentes).toBe(0);
    await expect(fila.next()).rejects.toMatchObject({ extensions: { code: 'SLOW_CONSUMER' } });
    for (let i = 0; i < 3; i++) expect(await fila.next()).toEqual({ value: undefined, done: true });
  });
});

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let recusado: { id: number; idt: string };
  let destinatario: string;
  let remetente: string;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    const refused = await gw.database.rows<{ id: number; idt: string; dr: number; de: number; rr: number; re: number }>(
      `select t.id::int as id, t.idt::text as idt, d.repositorio_id::int as dr, d.numero_identificacao::int as de, r.repositorio_id::int as rr, r.numero_identificacao::int as re
         from tramites t join estruturas d on d.id = t.destinatario_orgao_id join estruturas r on r.id = t.remetente_orgao_id
        where t.situacao in (8, 9) order by t.id`,
    );
    const account = (repositorio: number, estrutura: number) =>
      DEMO_ACCOUNTS.find(
        (a) => a.orgao?.repositorio === repositorio && a.orgao.estrutura === estrutura && a.papeis.includes('GESTOR_PROTOCOLO'),
      );
    const row = refused.find((r) => account(r.dr, r.de) && account(r.rr, r.re))!;
    expect(row, 'a refused trâmite between two agencies with demo accounts').toBeDefined();
    recusado = { id: row.id, idt: row.idt };
    destinatario = await gw.tokenOf(account(row.dr, row.de)!.sujeito);
    remetente = await gw.tokenOf(account(row.rr, row.re)!.sujeito);
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('replay after a refusal: the destinatário replays none of the refused trâmite’s events; the remetente replays them all', async () => {
    const query = 'subscription { eventosTramites(aPartirDe: "0") { cursor tramite { idt } } }';
    const [dest, rem] = await Promise.all([sse(gw.gateway.url, destinatario, query, 2_500), sse(gw.gateway.url, remetente, query, 2_500)]);
    const idts = (r: { events: any[] }) => r.events.map((e) => e.data?.eventosTramites?.tramite?.idt).filter(Boolean);
    const [{ n }] = (await gw.database.rows<{ n: number }>(
      "select count(*)::int as n from tramite_eventos where tramite_id = $1 and tipo = 'SITUACAO'",
      [recusado.id],
    )) as [{ n: number }];
    expect(idts(rem).filter((idt) => idt === recusado.idt)).toHaveLength(n);
    expect(idts(dest).length).toBeGreaterThan(0); // it does replay its other trâmites
    expect(idts(dest)).not.toContain(recusado.idt);
    // And every path agrees: the read API hides it too.
    const read = await gw.gql('query($id: ID) { tramite(id: $id) { idt } }', { id: gid('Tramite', recusado.id) }, destinatario);
    expect(read.data?.tramite).toBeNull();
  });

  test('an SSE subscription whose token expires gets TOKEN_EXPIRED once and ends', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'))!;
    const token = await gw.token({ sub: account.sujeito, orgao: account.orgao, roles: account.papeis }, '2s');
    const started = Date.now();
    const { events, ended } = await sse(gw.gateway.url, token, 'subscription { eventosTramites { cursor } }', 8_000);
    const errors = events.flatMap((e) => e.errors ?? []);
    expect(errors.map((e: any) => e.extensions?.code)).toEqual(['TOKEN_EXPIRED']);
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(gw.gateway.feeds.tramites.assinantes).toBe(0);
  });

  test('a token valid for 30 days keeps its WebSocket open (no overflowing expiry timer)', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'))!;
    const token = await gw.token({ sub: account.sujeito, orgao: account.orgao, roles: account.papeis }, '30d');
    const socket = new WebSocket(gw.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    let closed: number | null = null;
    let acked = false;
    socket.on('close', (code) => (closed = code));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') acked = true;
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(acked).toBe(true);
    expect(closed).toBeNull();
    socket.close();
  });
});

describe(`${BACKENDS[0]}: shutdown`, () => {
  test('an SSE subscription gets SHUTTING_DOWN once when its gateway closes, and ends', async () => {
    const gw = await startTestGateway(BACKENDS[0]!, { seed: true });
    const admin = await gw.tokenOf(PEN_ADMIN);
    let closing: Promise<void> | null = null;
    const reading = sse(gw.gateway.url, admin, 'subscription { eventosTramites { cursor } }', 8_000, () => {
      setTimeout(() => (closing = gw.close()), 300);
    });
    const { events, ended } = await reading;
    await closing;
    expect(events.flatMap((e) => e.errors ?? []).map((e: any) => e.extensions?.code)).toEqual(['SHUTTING_DOWN']);
    expect(ended).toBe(true);
  });
});
