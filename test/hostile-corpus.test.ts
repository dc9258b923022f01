// The hostile-input corpus (test/support/hostile-cases.ts) against one real gateway per backend, over
// HTTP, SSE and WebSocket. For every case: a coded answer (an error's extensions.code, or a WebSocket
// close code, from the case's expected set), no 5xx, the process alive (/health after each batch),
// bounded time, no leak (no stack trace, no SQL, none of the case's forbidden data); and the heap back
// near its baseline at the end. Prints the closing table: tried / 5xx / crashes / hangs / uncoded / leaks.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_ACCOUNTS } from '../src/demo/seed.js';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from './support/gateway.js';
import { PEN_ADMIN } from './support/accounts.js';
import { ANY_ERRO, FAMILIES, hostileCases, type Case, type Fixture, type Probe } from './support/hostile-cases.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A case answering later than this counts as a hang. Generous on purpose: it tells a hang from an
 * answer on a loaded 2-core machine (legitimate cases answer in milliseconds on a quiet one), it is
 * not a speed target — those live in bench/.
 */
const BOUND_MS = 10_000;
/** How long a subscription (SSE or WebSocket) is read before the corpus moves on. */
const STREAM_READ_MS = 700;
const BATCH = 8;
const MEMORY_SLACK_BYTES = 96 * 1024 * 1024;

const gid = (typename: string, id: string | number) => Buffer.from(`${typename}:${id}`).toString('base64');

interface Outcome {
  status: number | null;
  closeCode: number | null;
  text: string;
  codes: string[];
  /** An error without a code, or the masked "Unexpected error.". */
  uncodedError: boolean;
  ms: number;
  timedOut: boolean;
}

interface Verdict {
  family: string;
  name: string;
  dependsOn?: string;
  fivexx: boolean;
  hang: boolean;
  uncoded: boolean;
  leak: boolean;
  detail: string;
}

const LEAK_PATTERNS = [
  /\n\s+at .+:\d+:\d+/,
  /node_modules/,
  /\bselect .+ from\b/i,
  /\binsert into\b/i,
  /postgres(ql)?:\/\//i,
  /drizzle/i,
  /\.ts:\d+/,
];

describe.each(BACKENDS)('%s', (backend) => {
  let gw: TestGateway;
  let fx: Fixture;
  let cases: Case[] = [];
  let baselineHeap = 0;
  const verdicts: Verdict[] = [];
  let crashes = 0;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    const admin = await gw.tokenOf(PEN_ADMIN);
    const gestorAccount = DEMO_ACCOUNTS.find((a) => a.orgao && a.papeis.includes('GESTOR_PROTOCOLO'))!;
    const gestor = await gw.tokenOf(gestorAccount.sujeito);
    const [orgaoGestor] = await gw.database.rows<{ id: number }>(
      'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
      [gestorAccount.orgao!.repositorio, gestorAccount.orgao!.estrutura],
    );
    const [proprio] = await gw.database.rows<{ id: number }>(
      'select id::int as id from tramites where remetente_orgao_id = $1 order by id limit 1',
      [orgaoGestor!.id],
    );
    const [unidade] = await gw.database.rows<{ id: number }>(
      'select id::int as id from estruturas where orgao_id = $1 and pai_id is not null order by id limit 1',
      [orgaoGestor!.id],
    );
    // A trâmite its destinatário refused, whose destinatário has a demo account.
    const recusados = await gw.database.rows<{ id: number; idt: string; numero: string; repositorio: number; estrutura: number }>(
      `select t.id::int as id, t.idt::text as idt, t.numero_processo as numero, e.repositorio_id::int as repositorio, e.numero_identificacao::int as estrutura
         from tramites t join estruturas e on e.id = t.destinatario_orgao_id where t.situacao in (8, 9) order by t.id`,
    );
    const recusado = recusados.find((r) =>
      DEMO_ACCOUNTS.some(
        (a) => a.orgao?.repositorio === r.repositorio && a.orgao.estrutura === r.estrutura && a.papeis.includes('GESTOR_PROTOCOLO'),
      ),
    );
    if (!recusado) throw new Error('the demo seed has no refused trâmite whose destinatário has a demo account');
    const destinatario = DEMO_ACCOUNTS.find(
      (a) =>
        a.orgao?.repositorio === recusado.repositorio && a.orgao.estrutura === recusado.estrutura && a.papeis.includes('GESTOR_PROTOCOLO'),
    )!;
    const page = await gw.ok('{ tramites(first: 2) { pageInfo { endCursor } } }', {}, gestor);
    fx = {
      orgao: gestorAccount.orgao!,
      admin,
      gestor,
      destinatarioRecusou: await gw.tokenOf(destinatario.sujeito),
      recusado: { id: gid('Tramite', recusado.id), idt: recusado.idt, numeroProcesso: recusado.numero },
      tramite: gid('Tramite', proprio!.id),
      unidade: gid('UnidadeAdministrativa', unidade!.id),
      cursor: page.tramites.pageInfo.endCursor,
      sign: (claims, header = {}) =>
        new SignJWT(JSON.parse(JSON.stringify(claims)) as Record<string, unknown>)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header } as { alg: string })
          .sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    };
    // Warm up (first parses, first statements), then take the heap baseline before the corpus exists.
    await gw.gql('{ tramites(first: 5) { nodes { id } } }', {}, gestor);
    gc();
    baselineHeap = process.memoryUsage().heapUsed;
    cases = await hostileCases(fx);
  });

  afterAll(async () => {
    await gw?.close();
    printTable(backend, verdicts, crashes);
  });

  test('the corpus has at least 415 cases, in every family', () => {
    expect(cases.length).toBeGreaterThanOrEqual(415);
    for (const family of FAMILIES)
      expect(
        cases.some((c) => c.family === family),
        family,
      ).toBe(true);
  });

  test.each(FAMILIES.map((f) => [f]))(
    'family %s: coded, no 5xx, alive, bounded, no leak',
    async (family) => {
      const mine = cases.filter((c) => c.family === family);
      const failures: Verdict[] = [];
      // Cases another branch fixes run alone, so their time is not charged to the cases around them.
      const batches: Case[][] = [];
      const independent = mine.filter((c) => !c.dependsOn);
      for (let i = 0; i < independent.length; i += BATCH) batches.push(independent.slice(i, i + BATCH));
      for (const c of mine.filter((c) => c.dependsOn)) batches.push([c]);
      for (const batch of batches) {
        const outcomes = await Promise.all(batch.map((c) => run(gw, fx, c.probe)));
        batch.forEach((c, j) => {
          const verdict = judge(c, outcomes[j]!);
          verdicts.push(verdict);
          if (verdict.fivexx || verdict.hang || verdict.uncoded || verdict.leak) failures.push(verdict);
        });
        if (!(await alive(gw))) crashes++;
      }
      expect(crashes, 'the gateway stopped answering /health').toBe(0);
      expect(failures.map((f) => `${f.dependsOn ? `[${f.dependsOn}] ` : ''}${f.name}: ${f.detail}`)).toEqual([]);
    },
    120_000,
  );

  test('memory is back near its baseline after the corpus', async () => {
    cases = [];
    // Let the server finish with the last sockets and caches settle, then collect.
    await new Promise((resolve) => setTimeout(resolve, 200));
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    console.log(`[${backend}] heap: baseline ${mb(baselineHeap)} MB, after the corpus ${mb(after)} MB`);
    expect(after - baselineHeap).toBeLessThan(MEMORY_SLACK_BYTES);
  });
});

async function alive(gw: TestGateway): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', gw.gateway.url), { signal: AbortSignal.timeout(5_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

function authorization(fx: Fixture, auth: string | null | undefined): string | null {
  if (auth === undefined || auth === null) return null;
  if (auth === 'admin' || auth === 'gestor' || auth === 'destinatarioRecusou') return `Bearer ${fx[auth]}`;
  return auth;
}

async function run(gw: TestGateway, fx: Fixture, probe: Probe): Promise<Outcome> {
  const started = performance.now();
  try {
    const result = probe.kind === 'ws' ? await runWs(gw, fx, probe) : await runHttp(gw, fx, probe);
    return { ...result, ms: performance.now() - started, timedOut: false };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      status: null,
      closeCode: null,
      text: String(error),
      codes: [],
      uncodedError: !timedOut,
      ms: performance.now() - started,
      timedOut,
    };
  }
}

async function runHttp(gw: TestGateway, fx: Fixture, probe: Extract<Probe, { kind: 'http' }>): Promise<Omit<Outcome, 'ms' | 'timedOut'>> {
  const headers: Record<string, string> = { ...(probe.gql ? { 'content-type': 'application/json' } : {}), ...probe.headers };
  const auth = authorization(fx, probe.auth);
  if (auth) headers.authorization = auth;
  if (probe.sse) headers.accept = 'text/event-stream';
  const url = probe.query ? `${gw.gateway.url}?${probe.query}` : gw.gateway.url;
  const method = probe.method ?? 'POST';
  const body =
    method === 'GET' || method === 'DELETE' ? undefined : probe.gql ? JSON.stringify(probe.gql) : (probe.body as BodyInit | undefined);
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    // The server may answer 413 and close before the client finished sending a huge body.
    if (/other side closed|ECONNRESET|EPIPE|socket/i.test(String((error as Error).cause ?? error))) {
      return { status: 413, closeCode: null, text: '', codes: ['CONNECTION_CLOSED_BY_SERVER'], uncodedError: false };
    }
    throw error;
  }
  const text = response.headers.get('content-type')?.includes('text/event-stream')
    ? await readStream(response, STREAM_READ_MS)
    : await response.text();
  const errors = collectErrors(text);
  // A mutation's refusal is a member of its result union: `codigo` in the data.
  const erros = [...text.matchAll(/"codigo":"([A-Z_0-9]+)"/g)].map((m) => `ERRO:${m[1]}`);
  return {
    status: response.status,
    closeCode: null,
    text,
    codes: [...errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string'), ...erros],
    uncodedError:
      errors.some((e) => typeof e.extensions?.code !== 'string' || /^Unexpected error/.test(e.message ?? '')) ||
      (response.status >= 400 && errors.length === 0),
  };
}

async function readStream(response: Response, ms: number): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const until = Date.now() + ms;
  try {
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const read = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
      ]).finally(() => clearTimeout(timer));
      if (!read || read.done) break;
      text += decoder.decode(read.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

type WireError = { message?: string; extensions?: Record<string, unknown> };

/** The GraphQL errors in a JSON body or in every `data:` line of an SSE stream. */
function collectErrors(text: string): WireError[] {
  const docs: unknown[] = [];
  try {
    docs.push(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:')) continue;
      try {
        docs.push(JSON.parse(line.slice(5)));
      } catch {
        /* a partial line at the end of the read window */
      }
    }
  }
  return docs.flatMap((d) => (d as { errors?: WireError[] })?.errors ?? []);
}

function runWs(gw: TestGateway, fx: Fixture, probe: Extract<Probe, { kind: 'ws' }>): Promise<Omit<Outcome, 'ms' | 'timedOut'>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(gw.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const errors: WireError[] = [];
    let closeCode: number | null = null;
    const frames = probe.frames.map((f) =>
      typeof f === 'string' ? f.replace('"authorization":"gestor"', `"authorization":"${authorization(fx, 'gestor')}"`) : f,
    );
    const finish = () => {
      clearTimeout(timer);
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      resolve({
        status: null,
        closeCode,
        text: JSON.stringify(errors),
        codes: [
          ...errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string'),
          ...(closeCode !== null ? [String(closeCode)] : []),
        ],
        uncodedError: errors.some((e) => typeof e.extensions?.code !== 'string' || /^Unexpected error/.test(e.message ?? '')),
      });
    };
    const timer = setTimeout(finish, probe.expectOpenMs ?? STREAM_READ_MS);
    socket.on('open', () => socket.send(frames[0]!));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') for (const frame of frames.slice(1)) socket.send(frame);
      if (message.type === 'error') errors.push(...(message.payload as WireError[]));
      if (message.type === 'next') errors.push(...((message.payload as { errors?: WireError[] }).errors ?? []));
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
    socket.on('close', (code) => {
      closeCode = code;
      finish();
    });
    socket.on('error', (error) => {
      if (closeCode === null && socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

function judge(c: Case, o: Outcome): Verdict {
  const problems: string[] = [];
  const fivexx = o.status !== null && o.status >= 500;
  if (fivexx) problems.push(`HTTP ${o.status}`);
  const hang = o.timedOut || o.ms > BOUND_MS;
  if (hang) problems.push(`${Math.round(o.ms)} ms`);
  let uncoded = o.uncodedError;
  if (c.accepted) {
    if (o.codes.length > 0 || o.uncodedError || (o.status !== null && o.status !== 200) || (o.closeCode !== null && o.closeCode !== 1000))
      uncoded = true;
  } else if (c.codes) {
    const expected = c.codes.map(String);
    const matched =
      o.codes.some((code) => expected.includes(code) || (expected.includes(ANY_ERRO) && code.startsWith('ERRO:'))) ||
      (expected.includes('NONE') && o.codes.length === 0 && !o.uncodedError);
    if (!matched) uncoded = true;
  }
  if (uncoded)
    problems.push(`codes ${JSON.stringify(o.codes)} (wanted ${c.accepted ? 'success' : JSON.stringify(c.codes)}) ${o.text.slice(0, 200)}`);
  const leak = LEAK_PATTERNS.some((p) => p.test(o.text)) || (c.mustNotContain ?? []).some((s) => o.text.includes(s));
  if (leak) problems.push(`leak: ${o.text.slice(0, 200)}`);
  return { family: c.family, name: c.name, dependsOn: c.dependsOn, fivexx, hang, uncoded, leak, detail: problems.join('; ') };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function printTable(backend: string, verdicts: Verdict[], crashes: number): void {
  const rows = FAMILIES.map((family) => {
    const mine = verdicts.filter((v) => v.family === family);
    return [family, mine.length, ...(['fivexx', 'hang', 'uncoded', 'leak'] as const).map((k) => mine.filter((v) => v[k]).length)] as const;
  });
  const total = [
    'TOTAL',
    verdicts.length,
    ...(['fivexx', 'hang', 'uncoded', 'leak'] as const).map((k) => verdicts.filter((v) => v[k]).length),
  ] as const;
  const line = (r: readonly (string | number)[], crash: string | number) =>
    `| ${String(r[0]).padEnd(12)} | ${String(r[1]).padStart(5)} | ${String(r[2]).padStart(3)} | ${String(crash).padStart(7)} | ${String(r[3]).padStart(5)} | ${String(r[4]).padStart(7)} | ${String(r[5]).padStart(5)} |`;
  const dependent = verdicts.filter((v) => v.dependsOn && (v.fivexx || v.hang || v.uncoded || v.leak)).length;
  console.log(
    [
      `\nHostile corpus on ${backend}:`,
      '| family       | tried | 5xx | crashes | hangs | uncoded | leaks |',
      '|--------------|-------|-----|---------|-------|---------|-------|',
      ...rows.map((r) => line(r, '')),
      line(total, crashes),
      dependent ? `(${dependent} failing cases are marked as fixed by the day-one issue's branch)` : '',
    ].join('\n'),
  );
}
