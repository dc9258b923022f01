/**
 * The instance's Prometheus metrics (prom-client): what the request path records (one counter inc and one
 * histogram observe per operation, one counter inc per HTTP request) and what is read only when Prometheus
 * scrapes (WebSocket connections, subscriptions per feed, the event buses' lag, the e-mail outbox, periodic
 * jobs, a database probe), each read bounded in time. Each instance exposes its own; Prometheus scrapes every instance.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, parse } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WebSocketServer } from 'ws';
import type { DatabaseHandle } from '../db/client.js';
import type { ComSeq, Barramento, FonteEventos } from '../feeds/barramento.js';
import type { Logger } from '../logger.js';
import { fonteEventosOnboarding } from '../onboarding/feed.js';
import type { Feeds } from '../schema/context.js';
import { fonteAlertasParados } from '../tramites/alertas-parados.js';
import { tarefasPeriodicas } from '../tramites/cancelamento-automatico.js';
import { fonteEventosTramite } from '../tramites/feed.js';
import { ROTA_DOWNLOAD, ROTA_ENVIO, ROTA_JWKS } from './componentes.js';
import { ROTA_SOLICITACAO } from './solicitacoes.js';
import type { TrustedDocuments } from '../trusted-documents.js';
import type { DifusaoWebSocket } from './websocket-broadcast.js';

export const CAMINHO_METRICAS = '/metrics';

interface LinhaDaCaixa {
  pendentes: number | string;
  falhando: number | string;
  idade: number | string;
}

/** A scrape-time query that takes longer is given up (its gauge is left out of that scrape). */
const TEMPO_MAXIMO_COLETA_MS = 2_000;

/**
 * Label values a client chooses (operation names, error codes) are kept to a bounded set: the names it is
 * given, or else the first `maximo` distinct well-formed values seen; everything else is `outro`.
 */
export class RotulosLimitados {
  private readonly vistos: Set<string>;
  private readonly aberto: boolean;

  constructor(
    private readonly maximo: number,
    private readonly formato: RegExp,
    conhecidos?: Iterable<string>,
  ) {
    this.vistos = new Set(conhecidos);
    this.aberto = conhecidos === undefined;
  }

  rotulo(valor: string): string {
    if (this.vistos.has(valor)) return valor;
    if (!this.aberto || this.vistos.size >= this.maximo || !this.formato.test(valor)) return 'outro';
    this.vistos.add(valor);
    return valor;
  }
}

export interface OpcoesMetricas {
  database: DatabaseHandle;
  feeds: Feeds;
  logger: Logger;
  /** Trusted-documents mode: the manifest's operation names are the only operation labels. */
  documentosConfiaveis?: TrustedDocuments | null;
}

/** Node's own metrics (CPU, memory, event loop lag, GC, handles) once per process, whatever the instances in it. */
let metricasDoProcesso: Registry | null = null;
function registroDoProcesso(): Registry {
  if (!metricasDoProcesso) {
    metricasDoProcesso = new Registry();
    collectDefaultMetrics({ register: metricasDoProcesso });
  }
  return metricasDoProcesso;
}

const ROTULO_WS = new Set(['1000', '1001', '1006', '1008', '1009', '1011', '4400', '4401', '4403', '4408', '4409', '4429', '4430', '4500']);

export interface Metricas {
  /** Records one GraphQL operation: its bounded name, type, outcome (`ok` or an error code) and duration. */
  operacao(nome: string | null | undefined, tipo: string, codigoDeErro: string | null, segundos: number): void;
  /** Counts an HTTP request when its response closes (status, route class, component bytes). */
  observarHttp(req: IncomingMessage, res: ServerResponse, path: string): void;
  /** The WebSocket server and its broadcast: connections, groups and close codes. */
  observarWebSocket(wsServer: WebSocketServer, difusao: DifusaoWebSocket): void;
  /** A close the gateway decided (4401 token expired, 4430 slow consumer, 1001 shutdown). */
  fechamentoWebSocket(codigo: number): void;
  /** The text Prometheus scrapes. */
  texto(): Promise<{ contentType: string; body: string }>;
}

export function criarMetricas({ database, feeds, logger, documentosConfiaveis }: OpcoesMetricas): Metricas {
  const registry = new Registry();
  const registers = [registry];
  const nomes = new RotulosLimitados(
    200,
    /^[_A-Za-z][_0-9A-Za-z]{0,99}$/,
    documentosConfiaveis ? nomesDeOperacao(documentosConfiaveis) : undefined,
  );
  const codigos = new RotulosLimitados(100, /^[A-Z][A-Z0-9_]{0,63}$/);

  const operacoes = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by operation name, type and outcome (ok, or the first error code)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });
  const duracao = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration (HTTP: from request to result; WebSocket: execution; subscriptions: until the stream starts)',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers,
  });
  const http = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route class and status (aborted: the client left before the response ended)',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const bytesComponentes = new Counter({
    name: 'http_component_bytes_total',
    help: 'Bytes on the wire of component uploads (request bodies) and downloads (responses)',
    labelNames: ['direction'] as const,
    registers,
  });
  const fechamentos = new Counter({
    name: 'websocket_closes_total',
    help: 'WebSocket closes by code; by=gateway for closes the gateway decided (4430 slow consumer, 4401 token expired, 1001 shutdown)',
    labelNames: ['code', 'by'] as const,
    registers,
  });
  let servidorWs: WebSocketServer | null = null;
  let difusaoWs: DifusaoWebSocket | null = null;
  new Gauge({
    name: 'websocket_connections',
    help: 'Open WebSocket connections',
    registers,
    collect() {
      this.set(servidorWs?.clients.size ?? 0);
    },
  });
  new Gauge({
    name: 'websocket_broadcast_groups',
    help: 'Broadcast groups (subscriptions that share one execution per event)',
    registers,
    collect() {
      this.set(difusaoWs?.grupos ?? 0);
    },
  });
  new Gauge({
    name: 'websocket_broadcast_members',
    help: 'Subscriptions served by a broadcast group',
    registers,
    collect() {
      this.set(difusaoWs?.membros ?? 0);
    },
  });

  const barramentos: Array<{ feed: string; bus: Barramento<ComSeq>; fonte: FonteEventos<ComSeq> }> = [
    { feed: 'tramites', bus: feeds.tramites as Barramento<ComSeq>, fonte: fonteEventosTramite(database.db) },
    { feed: 'onboarding', bus: feeds.onboarding as Barramento<ComSeq>, fonte: fonteEventosOnboarding(database.db) },
    { feed: 'alertas', bus: feeds.alertas as Barramento<ComSeq>, fonte: fonteAlertasParados(database.db) },
  ];
  const falhasDeColeta = new Counter({
    name: 'metrics_collect_failures_total',
    help: 'Scrape-time queries that failed or took longer than 2 s (their gauges keep the previous value)',
    labelNames: ['collector'] as const,
    registers,
  });
  /** A scrape-time read: bounded in time, and a failure costs only its own gauges. */
  const coletar = async <T>(coletor: string, ler: () => Promise<T>): Promise<T | null> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        ler(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`took longer than ${TEMPO_MAXIMO_COLETA_MS} ms`)), TEMPO_MAXIMO_COLETA_MS);
        }),
      ]);
    } catch (error) {
      falhasDeColeta.inc({ collector: coletor });
      logger.warn({ err: error, collector: coletor }, 'metrics: scrape-time read failed');
      return null;
    } finally {
      clearTimeout(timer);
    }
  };

  new Gauge({
    name: 'feed_subscriptions',
    help: 'Live subscriptions per feed in this instance (broadcast members included)',
    labelNames: ['feed'] as const,
    registers,
    collect() {
      for (const { feed, bus } of barramentos) this.set({ feed }, bus.assinantes);
    },
  });
  new Gauge({
    name: 'feed_bus_ready',
    help: '1 while the feed bus is connected to the database and caught up, else 0',
    labelNames: ['feed'] as const,
    registers,
    collect() {
      for (const { feed, bus } of barramentos) this.set({ feed }, bus.pronto ? 1 : 0);
    },
  });
  new Gauge({
    name: 'feed_bus_delivered_seq',
    help: 'Seq of the last event the feed bus delivered',
    labelNames: ['feed'] as const,
    registers,
    collect() {
      for (const { feed, bus } of barramentos) this.set({ feed }, bus.posicao);
    },
  });
  new Gauge({
    name: 'feed_bus_lag_events',
    help: 'Seqs handed out on the event log after the last one the bus delivered (committed, in flight or rolled back)',
    labelNames: ['feed'] as const,
    registers,
    async collect() {
      await Promise.all(
        barramentos.map(async ({ feed, bus, fonte }) => {
          const posicao = bus.posicao;
          const marca = await coletar(`feed_bus_lag:${feed}`, () => fonte.marcar(posicao));
          if (marca) this.set({ feed }, marca.xid == null ? 0 : Math.max(0, marca.alocado - posicao));
        }),
      );
    },
  });

  // One outbox query per scrape serves its three gauges (texto() forgets the last one).
  let leituraDaCaixa: Promise<LinhaDaCaixa | null> | null = null;
  const lerCaixa = (): Promise<LinhaDaCaixa | null> => {
    if (!leituraDaCaixa) {
      leituraDaCaixa = coletar('smtp_outbox', () =>
        database.rows<LinhaDaCaixa>(
          `select count(*) as pendentes, count(*) filter (where tentativas > 0) as falhando,
                  coalesce(extract(epoch from now() - min(criado_em)), 0) as idade
             from avisos_email where enviado_em is null`,
        ),
      ).then((linhas) => linhas?.[0] ?? null);
    }
    return leituraDaCaixa;
  };
  const gaugeDaCaixa = (name: string, help: string, valor: (linha: LinhaDaCaixa) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const linha = await lerCaixa();
        if (linha) this.set(valor(linha));
      },
    });
  gaugeDaCaixa('smtp_outbox_pending', 'E-mail notices not yet delivered', (l) => Number(l.pendentes));
  gaugeDaCaixa('smtp_outbox_retrying', 'Undelivered e-mail notices with at least one failed delivery attempt', (l) => Number(l.falhando));
  gaugeDaCaixa('smtp_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered e-mail notice (0 when none)', (l) =>
    Math.max(0, Number(l.idade)),
  );

  new Gauge({
    name: 'db_up',
    help: '1 when a probe query (select 1) answered within 2 s at scrape time, else 0',
    labelNames: ['backend'] as const,
    registers,
    async collect() {
      const resposta = await coletar('db_probe', () => database.rows('select 1'));
      this.set({ backend: database.backend }, resposta ? 1 : 0);
    },
  });

  new Counter({
    name: 'periodic_job_runs_total',
    help: 'Runs of the periodic jobs in this instance (auto-cancel, stuck alerts, e-mail outbox, test counterparts)',
    labelNames: ['job', 'outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const t of tarefasPeriodicas()) {
        this.inc({ job: t.nome, outcome: 'ok' }, t.execucoes - t.falhas);
        this.inc({ job: t.nome, outcome: 'failed' }, t.falhas);
      }
    },
  });
  new Gauge({
    name: 'periodic_job_last_run_timestamp_seconds',
    help: 'When the last run of a periodic job started (Unix time)',
    labelNames: ['job'] as const,
    registers,
    collect() {
      this.reset();
      for (const t of tarefasPeriodicas()) if (t.ultimoInicio) this.set({ job: t.nome }, t.ultimoInicio.getTime() / 1000);
    },
  });
  new Gauge({
    name: 'periodic_job_last_success_timestamp_seconds',
    help: 'When the last run of a periodic job that did not fail started (Unix time)',
    labelNames: ['job'] as const,
    registers,
    collect() {
      this.reset();
      for (const t of tarefasPeriodicas()) if (t.ultimoSucesso) this.set({ job: t.nome }, t.ultimoSucesso.getTime() / 1000);
    },
  });
  new Gauge({
    name: 'periodic_job_last_duration_seconds',
    help: 'How long the last finished run of a periodic job took',
    labelNames: ['job'] as const,
    registers,
    collect() {
      this.reset();
      for (const t of tarefasPeriodicas()) if (t.ultimaDuracaoMs != null) this.set({ job: t.nome }, t.ultimaDuracaoMs / 1000);
    },
  });

  return {
    operacao(nome, tipo, codigoDeErro, segundos) {
      const operation = nome ? nomes.rotulo(nome) : 'anonymous';
      operacoes.inc({ operation, type: tipo, outcome: codigoDeErro === null ? 'ok' : codigos.rotulo(codigoDeErro) });
      duracao.observe({ operation, type: tipo }, segundos);
    },
    observarHttp(req, res, path) {
      const route = classeDaRota(req, path);
      const socket = req.socket;
      const lidos = socket.bytesRead;
      const escritos = socket.bytesWritten;
      res.once('close', () => {
        http.inc({ route, status: res.writableFinished ? String(res.statusCode) : 'aborted' });
        if (route === 'component_upload' || route === 'graphql_multipart')
          bytesComponentes.inc({ direction: 'upload' }, Math.max(0, socket.bytesRead - lidos));
        else if (route === 'component_download')
          bytesComponentes.inc({ direction: 'download' }, Math.max(0, socket.bytesWritten - escritos));
      });
    },
    observarWebSocket(wsServer, difusao) {
      servidorWs = wsServer;
      difusaoWs = difusao;
      wsServer.on('connection', (socket) => {
        socket.once('close', (code: number) => {
          const rotulo = String(code);
          fechamentos.inc({ code: ROTULO_WS.has(rotulo) ? rotulo : 'outro', by: 'socket' });
        });
      });
    },
    fechamentoWebSocket(codigo) {
      const rotulo = String(codigo);
      fechamentos.inc({ code: ROTULO_WS.has(rotulo) ? rotulo : 'outro', by: 'gateway' });
    },
    async texto() {
      leituraDaCaixa = null;
      const [processo, gateway] = await Promise.all([registroDoProcesso().metrics(), registry.metrics()]);
      return { contentType: registry.contentType, body: `${processo}\n${gateway}` };
    },
  };
}

/** The operation names of a trusted-documents manifest. */
function nomesDeOperacao(documentos: TrustedDocuments): Set<string> {
  const nomes = new Set<string>();
  for (const texto of documentos.values()) {
    try {
      for (const definicao of parse(texto).definitions)
        if (definicao.kind === Kind.OPERATION_DEFINITION && definicao.name) nomes.add(definicao.name.value);
    } catch {
      // A document that does not parse is refused when a client sends it; it names no operation here.
    }
  }
  return nomes;
}

/** The route classes of `http_requests_total`: a fixed set, never the raw path. */
function classeDaRota(req: IncomingMessage, path: string): string {
  if (path === '/graphql') return (req.headers['content-type'] ?? '').startsWith('multipart/') ? 'graphql_multipart' : 'graphql';
  if (path === '/health' || path === '/ready') return path.slice(1);
  if (path === CAMINHO_METRICAS) return 'metrics';
  if (ROTA_ENVIO.test(path)) return 'component_upload';
  if (ROTA_DOWNLOAD.test(path)) return 'component_download';
  if (path === ROTA_JWKS) return 'jwks';
  if (path === ROTA_SOLICITACAO) return 'access_request';
  if (path.startsWith('/graphiql')) return 'graphiql';
  return 'other';
}

/**
 * `GET /metrics` with `Authorization: Bearer <METRICS_TOKEN>`; any other request to the path gets 401, so the
 * endpoint never answers the public. The token is compared in constant time.
 */
export function rotaDeMetricas(metricas: Metricas, token: string, logger: Logger) {
  const esperado = createHash('sha256').update(`Bearer ${token}`).digest();
  return function route(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== CAMINHO_METRICAS) return false;
    const recebido = createHash('sha256')
      .update(req.headers.authorization ?? '')
      .digest();
    if (!timingSafeEqual(esperado, recebido)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('Unauthorized\n');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    metricas
      .texto()
      .then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'metrics: scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('Scrape failed\n');
      });
    return true;
  };
}
