// Chaos on PostgreSQL: `npm start`'s process (a child, as in production) takes mutations at a bounded
// rate, a bounded number in flight, while its PostgreSQL server is restarted several times, each time
// with requests in flight. Measured: the process never exits
// (postgres.js 3.4.9 used to crash it, stack.md trap 14), every mutation answers success or a
// retryable code (DATABASE_UNAVAILABLE / DATABASE_TIMEOUT with extensions.retryable), and after the
// retries with the same idempotency key nothing is lost or written twice, in the log or in a live
// subscription; /ready answers 503 while the server is down and 200 again after.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { createDatabase } from '../src/db/client.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../src/demo/seed.js';
import { mintToken } from '../src/identity/tokens.js';
import { postgresAdminUrl, startPrivatePostgres, type PrivatePostgresServer } from './support/backends.js';
import { TEST_JWT_SECRET } from './support/gateway.js';
import { CONTEUDO_DE_DEMO_GQL } from './support/tramites.js';
import { type Habilitacao, habilitada } from './support/configuracao.js';
import { sleep, waitUntil } from './support/wait.js';

const MUTATIONS = 300;
const SPACING_MS = 10; // at most 100 mutations started per second, the rate at which an unpatched postgres.js 3.4.9 crashed here
// At most this many mutations unanswered at once (about 3× the gateway's pool of 10): on a busy machine the gateway takes
// fewer than 100 a second, and without a bound hundreds queue in it, each answer takes longer than the retry limit
// and every restart fails them all at once (seen: 261 of 300 not accepted within 30 s at load average 13).
const IN_FLIGHT = 32;
const POOL_SIZE = 10;
const RESTARTS = 3;
const RETRY_LIMIT_MS = 30_000;
// A client's retry: exponential backoff with jitter, as a real SPE retries a retryable answer.
const BACKOFF_MS = { first: 100, max: 2_000 };
const RETRYABLE = new Set(['DATABASE_UNAVAILABLE', 'DATABASE_TIMEOUT']);

const gid = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');
const repo = fileURLToPath(new URL('..', import.meta.url));

describe.skipIf(!postgresAdminUrl())('postgres: restarts under write load', () => {
  let servidor: PrivatePostgresServer | null = null;
  let gateway: ChildProcess | null = null;
  let ws: Client | null = null;

  afterAll(async () => {
    await ws?.dispose();
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGTERM');
      await new Promise((resolve) => gateway!.once('exit', resolve));
    }
    await servidor?.destroy().catch(() => {});
  });

  test(`${MUTATIONS} mutations through ${RESTARTS} PostgreSQL restarts: 0 crashes, 0 lost, 0 duplicated, every answer success or retryable`, async (ctx) => {
    servidor = await startPrivatePostgres();
    if (!servidor) return ctx.skip();
    const url = servidor.url;

    // The demo data, and the units the mutations use (two agencies with demo gestor accounts).
    const seed = await createDatabase({ kind: 'postgres', url });
    await seedDemoData(seed.db, new Date());
    // Starting a trâmite is the sending agency's SPE act (its gestor's token is refused): SPE accounts.
    const contas = DEMO_ACCOUNTS.filter((a) => a.orgao && a.papeis.includes('SPE'));
    const unidade = async (conta: (typeof contas)[number], para: Habilitacao) =>
      (
        await seed.rows<{ id: number }>(
          `select u.id::int as id from estruturas u join estruturas r on r.id = u.orgao_id
            where r.repositorio_id = $1 and r.numero_identificacao = $2 and r.pai_id is null and u.pai_id is not null and ${habilitada('u', para)} order by u.id limit 1`,
          [conta.orgao!.repositorio, conta.orgao!.estrutura],
        )
      )[0]?.id;
    let remetente: { conta: (typeof contas)[number]; unidade: number } | null = null;
    let destino: number | null = null;
    for (const conta of contas) {
      const envio = await unidade(conta, 'envio');
      if (!remetente && envio) remetente = { conta, unidade: envio };
      else if (remetente && remetente.conta.orgao!.estrutura !== conta.orgao!.estrutura && !destino)
        destino = (await unidade(conta, 'recebimento')) ?? null;
    }
    const [{ inicio }] = (await seed.rows<{ inicio: number }>('select coalesce(max(seq), 0)::int as inicio from tramite_eventos')) as [
      { inicio: number },
    ];
    await seed.close();
    expect(remetente && destino, 'two agencies with demo accounts and enabled units').toBeTruthy();
    const token = await mintToken(TEST_JWT_SECRET, {
      sub: remetente!.conta.sujeito,
      orgao: remetente!.conta.orgao,
      roles: remetente!.conta.papeis,
    });
    const admin = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'))!;
    const adminToken = await mintToken(TEST_JWT_SECRET, { sub: admin.sujeito, orgao: admin.orgao, roles: admin.papeis });

    // The gateway as `npm start` runs it, in its own process.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: repo,
      env: {
        ...process.env,
        DATABASE_URL: url,
        JWT_SECRET: TEST_JWT_SECRET,
        PORT: '0',
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        DEMO_SEED: 'false',
        AUTO_CANCEL_ENABLED: 'false',
        LOG_LEVEL: 'info',
        FEED_POLL_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    gateway = child;
    let exits = 0;
    child.once('exit', () => exits++);
    let output = '';
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${output}`)), 60_000);
      const scan = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:[^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', scan);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) at start: ${output}`)));
    });
    const ready = async () => (await fetch(new URL('/ready', endpoint)).catch(() => null))?.status ?? 0;

    // A live subscriber through the whole run: it must see each new event exactly once. It starts at the log's
    // last event before the run, so events written before its subscribe message reaches the gateway (a busy
    // machine) come in its catch-up instead of being missed; then live.
    const recebidos: number[] = [];
    ws = createClient({
      url: endpoint.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${adminToken}` },
      retryAttempts: 0,
    });
    const subscriberErrors: unknown[] = [];
    ws.subscribe<{ e: { cursor: string } }>(
      {
        query: 'subscription($aPartirDe: String) { e: eventosTramites(aPartirDe: $aPartirDe) { cursor } }',
        variables: { aPartirDe: String(inicio) },
      },
      {
        next: (r) => (r.data ? recebidos.push(Number(r.data.e.cursor)) : subscriberErrors.push(r.errors)),
        error: (e) => subscriberErrors.push(e),
        complete: () => {},
      },
    );

    // Every answer any attempt got, classified, and how long each took.
    const answers = { success: 0, retryable: 0, other: [] as string[] };
    const byCode: Record<string, number> = {};
    const answerMs: number[] = [];
    let accepted = 0;
    let requestsInFlight = 0;
    let saw503 = false;
    async function iniciar(i: number): Promise<boolean> {
      const input = {
        tipo: 'PROCESSO',
        numeroProcesso: `caos-${i}`,
        chaveIdempotencia: `caos-chave-${i}`,
        unidadeRemetente: gid('UnidadeAdministrativa', remetente!.unidade),
        unidadeDestinataria: gid('UnidadeAdministrativa', destino!),
        ...CONTEUDO_DE_DEMO_GQL,
      };
      const until = Date.now() + RETRY_LIMIT_MS;
      for (let attempt = 0; Date.now() < until; attempt++) {
        let response: Response;
        const sent = Date.now();
        requestsInFlight++;
        try {
          response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: 'mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { __typename ... on Erro { codigo } } }',
              variables: { input },
            }),
            signal: AbortSignal.timeout(20_000),
          });
        } catch (error) {
          answers.other.push(`mutation ${i}: no answer (${String((error as Error).cause ?? error)})`);
          return false;
        } finally {
          requestsInFlight--;
        }
        const body = (await response.json()) as {
          data?: { r?: { __typename: string } };
          errors?: Array<{ extensions?: { code?: string; retryable?: boolean } }>;
        };
        answerMs.push(Date.now() - sent);
        const error = body.errors?.[0];
        const kind = error?.extensions?.code ?? body.data?.r?.__typename ?? 'no data';
        byCode[kind] = (byCode[kind] ?? 0) + 1;
        if (body.data?.r?.__typename === 'TransicaoRealizada') {
          answers.success++;
          accepted++;
          return true;
        }
        if (error && RETRYABLE.has(error.extensions?.code ?? '') && error.extensions?.retryable === true) {
          answers.retryable++;
          await sleep(Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** attempt) * (0.5 + Math.random() / 2));
          continue;
        }
        answers.other.push(`${response.status} ${JSON.stringify(body).slice(0, 300)}`);
        return false;
      }
      answers.other.push(`mutation ${i}: not accepted within ${RETRY_LIMIT_MS} ms`);
      return false;
    }

    // Each restart comes after a share of the mutations was accepted and with requests unanswered, so every restart
    // cuts writes in flight however fast or slow the machine is.
    const started = Date.now();
    const restarts = (async () => {
      for (let r = 0; r < RESTARTS; r++) {
        const share = Math.round(((r + 1) * MUTATIONS) / (RESTARTS + 1));
        await waitUntil(
          `${share} mutations accepted and requests in flight before restart ${r + 1}`,
          () => accepted >= share && requestsInFlight > 0,
          60_000,
        );
        await servidor!.stop();
        for (let t = 0; t < 20 && !saw503; t++) {
          if ((await ready()) === 503) saw503 = true;
          else await sleep(50);
        }
        await sleep(300);
        await servidor!.restart();
      }
    })();
    restarts.catch(() => {}); // awaited below, after the mutations
    const mutations: Promise<boolean>[] = [];
    let unanswered = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      await waitUntil(`fewer than ${IN_FLIGHT} mutations unanswered`, () => unanswered < IN_FLIGHT, 2 * RETRY_LIMIT_MS);
      unanswered++;
      mutations.push(iniciar(i).finally(() => unanswered--));
      await sleep(SPACING_MS);
    }
    const results = await Promise.all(mutations);
    await restarts;

    // After the storm: the log holds each mutation's event exactly once, and so does the subscriber.
    const check = await createDatabase({ kind: 'postgres', url });
    const porChave = await check.rows<{ numero: string; tramites: number; eventos: number }>(
      `select t.numero_processo as numero, count(distinct t.id)::int as tramites, count(e.seq)::int as eventos
         from tramites t left join tramite_eventos e on e.tramite_id = t.id where t.numero_processo like 'caos-%' group by t.numero_processo`,
    );
    const log = (
      await check.rows<{ seq: number }>('select seq::int as seq from tramite_eventos where seq > $1 order by seq', [inicio])
    ).map((r) => r.seq);
    await check.close();
    const lost = MUTATIONS - porChave.length;
    const duplicated = porChave.filter((r) => r.tramites !== 1 || r.eventos !== 1).length;
    const deadline = Date.now() + 20_000;
    while (recebidos.length < log.length && Date.now() < deadline) await sleep(100);
    await sleep(1_000); // a duplicate from a catch-up or the poll would show up by now
    const liveLost = log.filter((seq) => !recebidos.includes(seq)).length;
    const liveDuplicated = recebidos.length - new Set(recebidos).size;
    let backTo200 = false;
    for (let t = 0; t < 100 && !backTo200; t++) {
      backTo200 = (await ready()) === 200;
      if (!backTo200) await sleep(100);
    }

    answerMs.sort((a, b) => a - b);
    const at = (q: number) => answerMs[Math.min(answerMs.length - 1, Math.floor(q * answerMs.length))] ?? 0;
    console.log(
      [
        `\nChaos on PostgreSQL (${RESTARTS} restarts, ${MUTATIONS} mutations at most one per ${SPACING_MS} ms and ${IN_FLIGHT} unanswered, ${Math.round((Date.now() - started) / 1000)} s, executor ${process.env.GRAPHQL_EXECUTOR ?? 'default'}):`,
        '| tried | crashes | answered success | answered retryable | other answers | lost | duplicated | live lost | live duplicated |',
        `| ${MUTATIONS} | ${exits} | ${answers.success} | ${answers.retryable} | ${answers.other.length} | ${lost} | ${duplicated} | ${liveLost} | ${liveDuplicated} |`,
        `answers by kind ${JSON.stringify(byCode)}; answer ms p50 ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}`,
      ].join('\n'),
    );
    expect(exits, `the gateway process exited:\n${output.slice(-3000)}`).toBe(0);
    expect(answers.other).toEqual([]);
    expect(results.every(Boolean)).toBe(true);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(liveLost).toBe(0);
    expect(liveDuplicated).toBe(0);
    expect(saw503, '/ready answered 503 while PostgreSQL was down').toBe(true);
    expect(backTo200, '/ready answered 200 again').toBe(true);
    expect(subscriberErrors).toEqual([]);
  }, 180_000);
});
