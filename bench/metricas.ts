/**
 * The metrics plugin's per-request CPU: the same `{ __typename }` request through Yoga's fetch handler in
 * process (no socket, so the client's CPU is not mixed in), on an app with METRICS_TOKEN and one without,
 * in interleaved rounds; plus the recording call alone in a tight loop. CPU time from process.cpuUsage(),
 * so a shared machine's load moves it less than wall-clock time. Bounded: BENCH_REQUESTS per round,
 * BENCH_ROUNDS rounds.
 */
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/client.js';
import { createApp, type App } from '../src/http/app.js';
import { criarMetricas } from '../src/http/metrics.js';
import { createLogger } from '../src/logger.js';
import { graphqlMetrics } from '../src/http/plugins/metrics.js';
import { parse } from 'graphql';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Goal: the plugin costs a few microseconds of CPU per request. */
const GOAL_US = 5;

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function rodada(app: App, n: number): Promise<number> {
  const body = JSON.stringify({ query: 'query Bench { __typename }' });
  const inicio = cpuMicros();
  for (let i = 0; i < n; i++) {
    const res = await app.yoga.fetch('http://127.0.0.1/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.text();
  }
  return (cpuMicros() - inicio) / n;
}

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await createDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const base = loadConfig({ LOG_LEVEL: 'silent', TEST_COUNTERPARTS_ENABLED: 'false' });
  const sem = await createApp({ config: base, database, logger });
  const com = await createApp({ config: { ...base, metrics: { token: 'bench-metrics-token-of-at-least-32-chars' } }, database, logger });
  try {
    const ok = await (await com.yoga.fetch('http://127.0.0.1/graphql?query=%7B__typename%7D')).json();
    if (!(ok as { data?: unknown }).data) throw new Error(`{ __typename } failed: ${JSON.stringify(ok)}`);
    await rodada(sem, REQUESTS);
    await rodada(com, REQUESTS);
    const semUs: number[] = [];
    const comUs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      semUs.push(await rodada(sem, REQUESTS));
      comUs.push(await rodada(com, REQUESTS));
    }
    const mediana = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

    // The recording alone: one counter inc and one histogram observe, with bounded labels.
    const metricas = criarMetricas({ database, feeds: sem.feeds, logger });
    const N = 200_000;
    for (let i = 0; i < 10_000; i++) metricas.operacao('Bench', 'query', null, 0.001);
    const inicio = cpuMicros();
    for (let i = 0; i < N; i++) metricas.operacao('Bench', 'query', i % 10 === 0 ? 'BAD_USER_INPUT' : null, 0.001);
    const gravacaoUs = (cpuMicros() - inicio) / N;

    // The plugin's hooks alone, as Yoga calls them for one HTTP request (a fresh Request object each time).
    type Gancho = 'onRequest' | 'onParams' | 'onExecute' | 'onResultProcess';
    const plugin = graphqlMetrics({ metricas }) as unknown as Record<Gancho, (payload: unknown) => unknown>;
    const document = parse('query Bench { __typename }');
    const result = { data: { __typename: 'Query' } };
    const umPedido = () => {
      const request = new Request('http://127.0.0.1/graphql');
      plugin.onRequest({ request });
      plugin.onParams({ params: { query: '' }, request });
      plugin.onExecute({ args: { document, operationName: undefined, contextValue: { request } } });
      plugin.onResultProcess({ request, result });
    };
    const soRequest = () => new Request('http://127.0.0.1/graphql');
    for (let i = 0; i < 10_000; i++) umPedido();
    const M = 50_000;
    let t = cpuMicros();
    for (let i = 0; i < M; i++) soRequest();
    const requestUs = (cpuMicros() - t) / M;
    t = cpuMicros();
    for (let i = 0; i < M; i++) umPedido();
    const pluginUs = (cpuMicros() - t) / M - requestUs;

    const diferenca = mediana(comUs) - mediana(semUs);
    console.log(`rounds: ${ROUNDS} × ${REQUESTS} requests each side, interleaved`);
    console.log(
      `without metrics (baseline): ${mediana(semUs).toFixed(1)} µs CPU / request (rounds: ${semUs.map((x) => x.toFixed(1)).join(', ')})`,
    );
    console.log(
      `with metrics:               ${mediana(comUs).toFixed(1)} µs CPU / request (rounds: ${comUs.map((x) => x.toFixed(1)).join(', ')})`,
    );
    console.log(`difference: ${diferenca.toFixed(1)} µs / request (ratio ${(mediana(comUs) / mediana(semUs)).toFixed(3)})`);
    console.log(`recording call alone: ${gravacaoUs.toFixed(2)} µs / operation`);
    console.log(`plugin hooks alone (onRequest, onParams, onExecute, onResultProcess): ${pluginUs.toFixed(2)} µs / request`);
    console.log(`goal ≤ ${GOAL_US} µs / request (plugin hooks alone): ${pluginUs <= GOAL_US ? 'MET' : 'MISSED'}`);
  } finally {
    await com.close();
    await sem.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
