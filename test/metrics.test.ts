// GET /metrics (src/http/metrics.ts, plugins/metrics.ts) over real HTTP and graphql-ws: a known sequence
// of operations moves the counters by exactly its own amounts, error codes appear as labels, the
// subscription gauges go up and down, the endpoint answers only its bearer token, and request ids
// round-trip. Timings are never asserted.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pino } from 'pino';
import { BACKENDS } from './support/backends.js';
import { SUB_TRAMITES, Conexao } from './support/feeds.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { demoAccount, PEN_ADMIN } from './support/accounts.js';
import { waitUntil } from './support/wait.js';
import { RotulosLimitados } from '../src/http/metrics.js';

const METRICS_TOKEN = 'metrics-token-with-at-least-thirty-two-chars';

/** The value of one sample of Prometheus' text format (every label given must match), 0 when absent. */
function amostra(texto: string, nome: string, rotulos: Record<string, string> = {}): number {
  let total = 0;
  for (const linha of texto.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(linha);
    if (!m || m[1] !== nome) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(rotulos).every(([k, v]) => labels[k] === v)) total += Number(m[3]);
  }
  return total;
}

describe.each(BACKENDS)('%s: /metrics', (backend) => {
  let gw: TestGateway;
  let admin: string;
  const linhas: Array<Record<string, unknown>> = [];
  const base = () => gw.gateway.url.replace(/\/graphql$/, '');
  const raspar = async () => {
    const res = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    const destino = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l) linhas.push(JSON.parse(l));
        done();
      },
    });
    gw = await startTestGateway(backend, {
      metricsToken: METRICS_TOKEN,
      logger: pino({ level: 'debug' }, destino),
      contrapartesIntervalMs: 200,
    });
    admin = await gw.tokenOf(PEN_ADMIN);
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('answers only the bearer token; Node process metrics are there', async () => {
    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: { authorization: METRICS_TOKEN } })).status).toBe(401);
    const res = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const texto = await res.text();
    for (const nome of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes'])
      expect(texto).toContain(`# TYPE ${nome} `);
    expect(amostra(texto, 'db_up', { backend: gw.database.backend })).toBe(1);
  });

  test('a known sequence of operations moves the counters by exactly its amounts, error codes as labels', async () => {
    const antes = await raspar();
    for (let i = 0; i < 3; i++) await gw.ok('query MetricaOk { __typename }', {}, admin);
    // A coded error during execution, then refusals before any operation is known: no token, bad syntax.
    const longa = 'x'.repeat(101);
    const invalida = await gw.gql('query MetricaBusca($b: String) { orgaos(busca: $b) { totalCount } }', { b: longa }, admin);
    expect(invalida.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gw.gql('query MetricaSemToken { orgaos { totalCount } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gw.gql('query {', {}, admin)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const depois = await raspar();
    const delta = (nome: string, rotulos: Record<string, string>) => amostra(depois, nome, rotulos) - amostra(antes, nome, rotulos);

    expect(delta('graphql_operations_total', { operation: 'MetricaOk', type: 'query', outcome: 'ok' })).toBe(3);
    expect(delta('graphql_operation_duration_seconds_count', { operation: 'MetricaOk', type: 'query' })).toBe(3);
    expect(delta('graphql_operations_total', { operation: 'MetricaBusca', type: 'query', outcome: 'BAD_USER_INPUT' })).toBe(1);
    // Refused before the document is read: the name the client chose is not known yet, nor trusted.
    expect(delta('graphql_operations_total', { operation: 'anonymous', type: 'unknown', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'anonymous', type: 'unknown', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(delta('graphql_operations_total', {})).toBe(6);
    // Six requests to /graphql (one answered 401) and one scrape between the two reads (a scrape counts when it ends).
    expect(delta('http_requests_total', { route: 'graphql' })).toBe(6);
    expect(delta('http_requests_total', { route: 'graphql', status: '401' })).toBe(1);
    expect(delta('http_requests_total', { route: 'metrics', status: '200' })).toBe(1);
    expect(depois).not.toContain('query {');
  });

  test('x-request-id round-trips (kept when well-formed, else a new one); error lines carry it, the codes and the viewer', async () => {
    const pedido = (requestId: string, query: string, variables: Record<string, unknown> = {}) =>
      gw.fetch({
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query, variables }),
      });
    const invalida = await pedido('pedido-123', 'query MetricaComId { naoExiste }');
    expect(invalida.headers.get('x-request-id')).toBe('pedido-123');
    expect(linhas.find((l) => l.requestId === 'pedido-123')).toMatchObject({
      msg: 'graphql request refused before execution',
      codes: ['GRAPHQL_VALIDATION_FAILED'],
    });
    const falha = await pedido('pedido-456', 'query MetricaFalha($b: String) { orgaos(busca: $b) { totalCount } }', { b: 'x'.repeat(101) });
    expect(falha.headers.get('x-request-id')).toBe('pedido-456');
    const linhaDaFalha = linhas.find((l) => l.requestId === 'pedido-456');
    expect(linhaDaFalha).toMatchObject({
      msg: 'graphql operation',
      operation: 'MetricaFalha',
      codes: ['BAD_USER_INPUT'],
      viewer: PEN_ADMIN,
    });
    expect(typeof linhaDaFalha?.ms).toBe('number');
    const semId = await fetch(`${base()}/health`);
    expect(semId.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const ruim = await fetch(`${base()}/health`, { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(ruim.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    await gw.ok('query MetricaLog { __typename }', {}, admin);
    const linha = linhas.find((l) => l.operation === 'MetricaLog');
    expect(linha).toMatchObject({ msg: 'graphql operation', viewer: PEN_ADMIN, orgaoId: null, papeis: ['PEN_ADMIN'], errors: 0 });
    expect(typeof linha?.requestId).toBe('string');
    expect(typeof linha?.ms).toBe('number');
    expect(JSON.stringify(linhas)).not.toContain(admin);
  });

  test('graphql-ws: operations count, the subscription and connection gauges go up and down', async () => {
    const antes = await raspar();
    expect(amostra(antes, 'websocket_connections')).toBe(0);
    expect(amostra(antes, 'feed_subscriptions', { feed: 'tramites' })).toBe(0);
    await waitUntil('the bus to be caught up', async () => amostra(await raspar(), 'feed_bus_lag_events', { feed: 'tramites' }) === 0);

    const conexao = new Conexao(gw.gateway.url, `Bearer ${admin}`);
    const assinatura = conexao.assinar(SUB_TRAMITES);
    await waitUntil('one live subscription', async () => amostra(await raspar(), 'feed_subscriptions', { feed: 'tramites' }) === 1);
    const durante = await raspar();
    expect(amostra(durante, 'websocket_connections')).toBe(1);
    expect(amostra(durante, 'graphql_operations_total', { type: 'subscription', outcome: 'ok' })).toBe(1);
    void assinatura;
    await conexao.encerrar();
    await waitUntil('no subscription and no connection', async () => {
      const texto = await raspar();
      return amostra(texto, 'feed_subscriptions', { feed: 'tramites' }) === 0 && amostra(texto, 'websocket_connections') === 0;
    });
    const depois = await raspar();
    expect(amostra(depois, 'websocket_closes_total', { by: 'socket' }) - amostra(antes, 'websocket_closes_total', { by: 'socket' })).toBe(
      1,
    );
    expect(linhas.some((l) => l.msg === 'websocket connected' && l.viewer === PEN_ADMIN)).toBe(true);
    expect(linhas.some((l) => l.msg === 'websocket closed' && typeof l.code === 'number')).toBe(true);
  });

  test('the e-mail outbox depth and its failing notices are read from the database at scrape time', async () => {
    const antes = await raspar();
    const [orgao] = await gw.database.rows<{ id: number }>('select id from estruturas order by id limit 1');
    for (const [i, tentativas] of [0, 2].entries())
      await gw.database.rows(
        `insert into avisos_email (orgao_id, tipo, para, assunto, corpo, message_id, criado_em, tentativas, proxima_tentativa_em)
         values ($1, 'TESTE', 'pen@example.gov.br', 'a', 'b', $2, now() - interval '1 hour', $3, now() + interval '1 day')`,
        [orgao!.id, `<metricas-${backend}-${i}@teste>`, tentativas],
      );
    const depois = await raspar();
    expect(amostra(depois, 'smtp_outbox_pending') - amostra(antes, 'smtp_outbox_pending')).toBe(2);
    expect(amostra(depois, 'smtp_outbox_retrying') - amostra(antes, 'smtp_outbox_retrying')).toBe(1);
    expect(amostra(depois, 'smtp_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(3600);
  });

  test('periodic jobs: runs, last start and duration of the test-counterpart worker', async () => {
    await waitUntil(
      'two runs of the worker',
      async () => amostra(await raspar(), 'periodic_job_runs_total', { job: 'test counterparts' }) >= 2,
    );
    const texto = await raspar();
    const ultima = amostra(texto, 'periodic_job_last_run_timestamp_seconds', { job: 'test counterparts' });
    expect(ultima).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(ultima).toBeLessThanOrEqual(Date.now() / 1000);
    expect(texto).toMatch(/^periodic_job_last_duration_seconds\{job="test counterparts"\} \d/m);
    expect(amostra(texto, 'periodic_job_runs_total', { job: 'test counterparts', outcome: 'failed' })).toBe(0);
  });

  test('a close the gateway decides (token expired: 4401) is counted once with its code', async () => {
    const antes = await raspar();
    const conta = demoAccount(PEN_ADMIN);
    const curto = await gw.token({ sub: conta.sujeito, orgao: conta.orgao, roles: conta.papeis, spe: conta.spe }, '2s');
    const conexao = new Conexao(gw.gateway.url, `Bearer ${curto}`);
    conexao.assinar(SUB_TRAMITES);
    await waitUntil('the close', () => conexao.fechamento !== null, 15_000);
    expect(conexao.fechamento?.code).toBe(4401);
    await waitUntil('the socket closed on the server', async () => amostra(await raspar(), 'websocket_connections') === 0);
    const depois = await raspar();
    expect(
      amostra(depois, 'websocket_closes_total', { code: '4401', by: 'gateway' }) -
        amostra(antes, 'websocket_closes_total', { code: '4401', by: 'gateway' }),
    ).toBe(1);
    expect(linhas.some((l) => l.msg === 'websocket closed by the gateway' && l.code === 4401)).toBe(true);
    await conexao.encerrar();
  });
});

describe('bounded labels', () => {
  test('the first N well-formed values, then "outro"; a known set admits only its own', () => {
    const abertos = new RotulosLimitados(2, /^[A-Z]+$/);
    expect(['A', 'bad', 'B', 'C', 'A'].map((v) => abertos.rotulo(v))).toEqual(['A', 'outro', 'B', 'outro', 'A']);
    const conhecidos = new RotulosLimitados(100, /^\w+$/, ['Painel']);
    expect(['Painel', 'Outra'].map((v) => conhecidos.rotulo(v))).toEqual(['Painel', 'outro']);
  });
});

describe('without METRICS_TOKEN', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('pglite', { seed: false });
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('there is no /metrics endpoint', async () => {
    const res = await fetch(gw.gateway.url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(404);
  });
});
