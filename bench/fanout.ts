/**
 * Live-feed fan-out: how many graphql-ws subscribers one gateway instance serves, how fast a burst of
 * status changes reaches all of them, what an idle subscriber costs, and how fast an event crosses
 * from one instance to another through PostgreSQL's LISTEN/NOTIFY.
 *
 *   npx tsx bench/fanout.ts [--subscribers 1000,5000,10000] [--events 50] [--isolated 15] [--per-connection 1]
 *                           [--cross-events 100] [--delivery-timeout 30] [--two-instances false]
 *
 * Real PostgreSQL: BENCH_DATABASE_URL (an admin URL: a fresh database is created there and dropped at the
 * end), or a throwaway server started with test/support/postgres-server.sh and stopped at the end.
 *
 * Processes: each server's subscribers are held by a client process of its own (bench/clients-child.ts: light
 * graphql-transport-ws clients, bench/fanout-clientes.ts, the same for the gateways and the floors; PEN_ADMIN token,
 * one subscription per connection unless --per-connection says otherwise; the gateway allows 25 per connection).
 * Every gateway instance runs in a child process (bench/gateway-child.ts) so client work does not share its event
 * loop; the writer runs in another child (bench/driver-child.ts) and reports each commit's time.
 *
 * Per subscriber count N, a fresh gateway instance:
 *   1. warm-up (20 subscribers, one trâmite walked, then closed), then the instance's memory after GC;
 *   2. N subscribers to `eventosTramites { cursor ocorridoEm tramite { idt situacao } }`, all idle: memory
 *      after GC again; (RSS delta, heap delta) / N = memory per idle subscriber;
 *   3. --isolated status changes (15) one at a time, each once the previous one reached all N (at most 60 s in all):
 *      the latency of one event, with the spread of the events' own p99 (is the row's p99 one slow event?);
 *   4. a burst of --events status changes (10 trâmites walked 1→6 at once, through the service).
 *   Latency of a delivery = receive time in the client process − the commit's return in the writer; p50/p99, deliveries/s;
 *   per event, medians of the first subscriber's latency and of the bus's delivery in the gateway (`bus p50`:
 *   the part before the fan-out, i.e. NOTIFY, the log's horizon and the read).
 * Then the floor: bench/floor-child.ts (node:http + raw `ws`, no GraphQL, no database) serving the same graphql-ws
 * clients, the largest count of them, writing frames of the same shape and size one event at a time and in a
 * burst; and the same on two floor processes with the largest count on each (the two-instance baseline). Then two
 * instances on the same database with the largest count on each (20,000 by default), the writer committing once.
 * Per burst, the CPU time of every process involved (from /proc) and how busy the whole machine was. Then cross-instance: instances 1 and 2 on the same database, one subscriber on each; --cross-events
 * mutations over HTTP through instance 1, one at a time; latency on instance 2 (and, as the same-run
 * baseline, on instance 1 itself) from the mutation's answer.
 *
 * Targets (printed with the results, each with its same-run baseline and the ratio): 10,000 subscribers
 * p99 < 250 ms one event at a time, < 2 s in a burst of 50, <= 30 KB each; the same on two instances with
 * 20,000; cross-instance p99 < 50 ms. Baselines: the floor for fan-out, the same instance for cross-instance,
 * and in the full table the first (smallest) subscriber count. Every wait is bounded
 * (connecting: 90 s; one event: 15 s, the phase's one-at-a-time events 60 s; the burst: --delivery-timeout, 30 s; the whole run: 12 min;
 * deliveries missing at a deadline count as later than it) and the run cleans up when it aborts.
 * BENCH_DEBUG=1 prints each step's time; BENCH_CPU_PROF=<dir> writes the gateways' CPU profiles of each burst.
 * Not part of the test suite.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken } from '../src/identity/tokens.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { comporServicos } from '../src/http/servicos.js';
import { CONTEUDO_DE_DEMO, type PedidoDeConducao } from '../src/demo/conducao.js';
import { conectar, type Conexao, encerrarClientes, Recepcao, type Receptor } from './fanout-clientes.js';
import { perfilador } from './perfil.js';
import { agora } from './relogio.js';
import { bancoDeBench, cpuDaMaquinaMs, cpuMs, parDeUnidades, type Limpeza, percentil } from './support.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, loadConfig()).tramites;

const raiz = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';
const CAMINHO: Array<PedidoDeConducao['acao']> = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];
const LIMITE_CONEXAO_MS = 90_000;
const LIMITE_ISOLADO_MS = 15_000;
const LIMITE_TOTAL_MS = 12 * 60_000;
const MAX_SUBS_POR_CONEXAO = 25; // the gateway's default FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION

const T0 = Date.now();
const depurar = (o: string) => {
  if (process.env.BENCH_DEBUG) console.log(`  [${((Date.now() - T0) / 1000).toFixed(1)} s] ${o}`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- arguments --------------------------------------------------------------------------------------

function argumento(nome: string): string | undefined {
  const i = process.argv.indexOf(`--${nome}`);
  if (i >= 0) return process.argv[i + 1];
  const igual = process.argv.find((a) => a.startsWith(`--${nome}=`));
  return igual?.slice(nome.length + 3);
}
const inteiro = (nome: string, padrao: number) => {
  const v = Number(argumento(nome) ?? padrao);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${nome} must be a positive integer`);
  return v;
};
const CONTAGENS = (argumento('subscribers') ?? '1000,5000,10000').split(',').map((s) => {
  const n = Number(s.trim().replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--subscribers: bad count "${s}"`);
  return n;
});
const EVENTOS = Math.ceil(inteiro('events', 50) / CAMINHO.length) * CAMINHO.length;
const POR_CONEXAO = Math.min(inteiro('per-connection', 1), MAX_SUBS_POR_CONEXAO);
/** Events one at a time per phase: enough that the row's p99 is not one event's (3 used to be). */
const ISOLADOS = inteiro('isolated', 15);
/** The one-at-a-time events of a phase stop being sent after this long (each also waits LIMITE_ISOLADO_MS at most). */
const LIMITE_ISOLADOS_MS = 60_000;
const LIMITE_ENTREGA_MS = inteiro('delivery-timeout', 30) * 1000;
/** The two-instance phase (2 × the largest count); `--two-instances false` skips it. */
const DUAS_INSTANCIAS = argumento('two-instances') !== 'false';
/**
 * The client processes' Node flags (BENCH_FANOUT_CLIENT_ARGV, space-separated): a young generation of 64 MB
 * instead of 16, as the frames of a burst are short-lived buffers and its scavenges took a quarter of a client
 * process's CPU (BENCH_CPU_PROF). The same for the gateways' and the floors' clients.
 */
const EXEC_ARGV_CLIENTES = (process.env.BENCH_FANOUT_CLIENT_ARGV ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
const EVENTOS_CRUZADOS = Math.ceil(inteiro('cross-events', 100) / CAMINHO.length) * CAMINHO.length;

// ---- file descriptors: one per connection here and one per connection in the gateway child -------------

function limiteArquivos(): { soft: number; hard: number } {
  const ler = (flag: string) => {
    const out = spawnSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).stdout.trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  };
  return { soft: ler('-n'), hard: ler('-Hn') };
}

function garantirDescritores(): number {
  const precisa = Math.ceil(Math.max(...CONTAGENS) / POR_CONEXAO) + 1_000;
  // Node raises its soft limit to the hard one at startup, so what is seen here is the hard limit.
  const { soft, hard } = limiteArquivos();
  if (soft >= precisa) return soft;
  const possivel = spawnSync('bash', ['-c', `ulimit -n ${precisa}`]).status === 0;
  if (possivel && !process.env.BENCH_FANOUT_ULIMIT) {
    // Run again under a higher limit (root may raise the hard limit too); the children inherit it.
    writeSync(1, `fanout: ulimit -n is ${soft} (hard ${hard}); ${precisa} needed: re-running under ulimit -n ${precisa}\n`);
    const r = spawnSync(
      'bash',
      ['-c', `ulimit -n ${precisa} && exec "$0" "$@"`, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, BENCH_FANOUT_ULIMIT: '1' },
      },
    );
    process.exit(r.status ?? 1);
  }
  throw new Error(
    `ulimit -n is ${soft} (hard ${hard}) but ${precisa} file descriptors are needed for ${Math.max(...CONTAGENS)} subscribers; raise it or use --per-connection`,
  );
}

// ---- child processes ----------------------------------------------------------------------------------

class Filho {
  private proximo = 1;
  private readonly esperando = new Map<number, { resolve: (m: any) => void; reject: (e: Error) => void }>();
  private saiu = false;

  private constructor(
    readonly nome: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m: { tipo: string; id?: number; erro?: string }) => {
      const espera = m.id != null ? this.esperando.get(m.id) : undefined;
      if (!espera) return;
      this.esperando.delete(m.id!);
      if (m.tipo === 'erro') espera.reject(new Error(`${nome}: ${m.erro}`));
      else espera.resolve(m);
    });
    proc.on('exit', (code) => {
      this.saiu = true;
      for (const e of this.esperando.values()) e.reject(new Error(`${nome} exited (${code})`));
      this.esperando.clear();
    });
  }

  static iniciar<T>(
    nome: string,
    script: string,
    env: Record<string, string>,
    execArgv: string[] = [],
    serialization: 'json' | 'advanced' = 'json',
  ): Promise<{ filho: Filho; pronto: T }> {
    const proc = fork(join(raiz, script), [], {
      cwd: raiz,
      execArgv: ['--import', 'tsx', ...execArgv],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization,
    });
    const filho = new Filho(nome, proc);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${nome} did not start within 60 s`)), 60_000);
      proc.once('message', (m: { tipo: string }) => {
        clearTimeout(timer);
        if (m.tipo === 'pronto') resolve({ filho, pronto: m as T });
        else reject(new Error(`${nome}: unexpected first message ${JSON.stringify(m)}`));
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${nome} exited (${code}) before it was ready`));
      });
    });
  }

  pedir<T>(mensagem: Record<string, unknown>, ms = 60_000): Promise<T> {
    const id = this.proximo++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.esperando.delete(id);
        reject(new Error(`${this.nome}: no answer to ${String(mensagem.tipo)} within ${ms} ms`));
      }, ms);
      this.esperando.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ ...mensagem, id });
    });
  }

  async fechar(): Promise<void> {
    if (this.saiu) return;
    const saida = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      this.proc.send({ tipo: 'fechar' });
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await saida;
    clearTimeout(timer);
  }
}

interface Memoria {
  rss: number;
  heapUsed: number;
  external: number;
  gc: boolean;
  assinantes: number;
  posicao: number;
}

// ---- subscribers ----------------------------------------------------------------------------------------

async function esperarAssinantes(gateway: Filho, n: number, prazo: number): Promise<Memoria> {
  for (;;) {
    const m = await gateway.pedir<Memoria>({ tipo: 'memoria' });
    if (m.assinantes === n) return m;
    if (Date.now() > prazo) throw new Error(`${gateway.nome}: ${m.assinantes} subscribers on the bus, expected ${n}`);
    await sleep(250);
  }
}

// ---- statistics -----------------------------------------------------------------------------------------

interface Resultado {
  fase: string;
  assinantes: number;
  conexoes: number;
  eventos: number;
  esperadas: number;
  entregues: number;
  p50: number;
  p99: number;
  max: number;
  /** Median over events of the first subscriber's latency: the pipeline before fan-out. */
  primeiraP50: number;
  /** Median over events of the bus's delivery to its listeners after the commit (gateway phases): the database's part. */
  barramentoP50: number;
  /** The bus's deliveries of these events (gateway phases): reads that delivered some, each one write per socket. */
  voltas: number;
  porSegundo: number;
  kbRss: number;
  kbHeap: number;
  conectarS: number;
  /** The bound on waiting for these deliveries. */
  prazoMs: number;
  nota: string;
  /** CPU time each process spent from the phase's first commit or write to its last delivery (burst and one-at-a-time rows). */
  cpu?: CpuDaRajada;
}

/** A process whose CPU time is read over a burst; a gateway (`filho`) is also profiled when BENCH_CPU_PROF is set. */
interface Processo {
  nome: string;
  pid: number;
  filho?: Filho;
}

interface CpuDaRajada {
  janelaMs: number;
  porProcesso: Array<{ nome: string; ms: number }>;
  /** This process (it only orchestrates: every measured subscriber is in a client process). */
  esteMs: number;
  /** The whole machine (every process, the database and other users included): busy time / (window × cores). */
  maquinaOcupada: number;
}

const PERFIS = process.env.BENCH_CPU_PROF;
const nomeDeArquivo = (s: string) =>
  s
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** This process's profile (it holds the one-server phases' clients). */
const perfilarAqui = perfilador();

/**
 * Reads the CPU time of `processos`, this process and the machine over a burst; with BENCH_CPU_PROF, profiles
 * the children among them (gateways, floors, client processes) and this process.
 */
function cpuDaRajada(rotulo: string, processos: Processo[]) {
  let antes: number[] = [];
  let eu = process.cpuUsage();
  let maquina = cpuDaMaquinaMs();
  let t0 = agora();
  const perfilados = PERFIS ? processos.filter((p) => p.filho) : [];
  return {
    async iniciar(): Promise<void> {
      await Promise.all(perfilados.map((p) => p.filho!.pedir({ tipo: 'perfil', arquivo: null })));
      if (PERFIS) await perfilarAqui(null);
      antes = processos.map((p) => cpuMs(p.pid));
      eu = process.cpuUsage();
      maquina = cpuDaMaquinaMs();
      t0 = agora();
    },
    async parar(): Promise<CpuDaRajada> {
      const porProcesso = processos.map((p, i) => ({ nome: p.nome, ms: cpuMs(p.pid) - antes[i]! }));
      const usado = process.cpuUsage(eu);
      const m = cpuDaMaquinaMs();
      const janelaMs = agora() - t0;
      await Promise.all([
        ...perfilados.map((p) =>
          p.filho!.pedir({ tipo: 'perfil', arquivo: join(PERFIS!, `${nomeDeArquivo(rotulo)}-${nomeDeArquivo(p.nome)}.cpuprofile`) }),
        ),
        PERFIS ? perfilarAqui(join(PERFIS, `${nomeDeArquivo(rotulo)}-bench.cpuprofile`)) : null,
      ]);
      return {
        janelaMs,
        porProcesso,
        esteMs: (usado.user + usado.system) / 1000,
        maquinaOcupada: (m.ocupado - maquina.ocupado) / Math.max(1, m.total - maquina.total),
      };
    },
  };
}

/** Every delivery's latency, sorted; the last arrival; and per event the first subscriber's latency, sorted. */
function latencias(rec: Recepcao, commits: Map<number, number>): { ordenadas: Float64Array; ultima: number; primeiras: Float64Array } {
  const valores = new Float64Array(rec.n);
  const primeira = new Map<number, number>();
  let k = 0;
  let ultima = 0;
  for (let i = 0; i < rec.n; i++) {
    const seq = rec.seq[i]!;
    const commit = commits.get(seq);
    if (commit === undefined) continue; // not an event of this burst
    const l = rec.t[i]! - commit;
    valores[k++] = l;
    primeira.set(seq, Math.min(primeira.get(seq) ?? Number.POSITIVE_INFINITY, l));
    ultima = Math.max(ultima, rec.t[i]!);
  }
  return { ordenadas: valores.slice(0, k).sort(), ultima, primeiras: Float64Array.from(primeira.values()).sort() };
}

/**
 * One row from the deliveries of the events in `commits` to `n` subscribers. Deliveries still missing
 * at the deadline count as infinitely late: a percentile they reach is reported as "> deadline".
 */
function resumo(
  fase: string,
  base: Pick<Resultado, 'assinantes' | 'conexoes' | 'kbRss' | 'kbHeap' | 'conectarS'>,
  rec: Recepcao,
  commits: Map<number, number>,
  n: number,
  prazoMs: number,
  notas: string[],
  inicio?: number,
  barramento?: Map<number, number>,
): Resultado {
  const { ordenadas, ultima, primeiras } = latencias(rec, commits);
  const esperadas = n * commits.size;
  const faltam = esperadas - ordenadas.length;
  const comFaltas = (p: number) => {
    if (esperadas === 0) return Number.NaN;
    const k = Math.max(1, Math.ceil((p / 100) * esperadas));
    return k <= ordenadas.length ? ordenadas[k - 1]! : Number.POSITIVE_INFINITY;
  };
  const janela = inicio != null ? (ultima - inicio) / 1000 : Number.NaN;
  return {
    ...base,
    fase,
    eventos: commits.size,
    esperadas,
    entregues: ordenadas.length,
    p50: comFaltas(50),
    p99: comFaltas(99),
    max: faltam > 0 ? Number.POSITIVE_INFINITY : ordenadas.length ? ordenadas[ordenadas.length - 1]! : Number.NaN,
    primeiraP50: percentil(primeiras, 50),
    barramentoP50: barramento
      ? percentil(
          [...barramento].map(([seq, t]) => t - commits.get(seq)!).sort((a, b) => a - b),
          50,
        )
      : Number.NaN,
    voltas: barramento ? voltasDoBarramento([...barramento.values()]) : Number.NaN,
    porSegundo: janela > 0 ? ordenadas.length / janela : Number.NaN,
    prazoMs,
    nota: [
      ...notas,
      rec.erros ? `${rec.erros} subscription errors, first: ${JSON.stringify(rec.primeiroErro)?.slice(0, 200)}` : '',
      faltam > 0 ? `INCOMPLETE: ${faltam} deliveries missing after ${prazoMs / 1000} s (counted as later than that)` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/** How many deliveries of the bus the events took: the events of one are handed out within a millisecond. */
function voltasDoBarramento(tempos: number[]): number {
  tempos.sort((a, b) => a - b);
  let voltas = tempos.length > 0 ? 1 : 0;
  for (let i = 1; i < tempos.length; i++) if (tempos[i]! - tempos[i - 1]! > 1) voltas++;
  return voltas;
}

/**
 * Each event's own p99 over its `n` deliveries (missing ones count as infinitely late): their median and the
 * worst, so a row's p99 decided by one slow event shows.
 */
function p99sPorEvento(rec: Recepcao, commits: Map<number, number>, n: number): string {
  const porSeq = new Map<number, number[]>();
  for (let i = 0; i < rec.n; i++) {
    const commit = commits.get(rec.seq[i]!);
    if (commit === undefined) continue;
    let ls = porSeq.get(rec.seq[i]!);
    if (!ls) porSeq.set(rec.seq[i]!, (ls = []));
    ls.push(rec.t[i]! - commit);
  }
  const p99s = [...commits.keys()]
    .map((seq) => {
      const ls = (porSeq.get(seq) ?? []).sort((a, b) => a - b);
      const k = Math.max(1, Math.ceil(0.99 * n));
      return k <= ls.length ? ls[k - 1]! : Number.POSITIVE_INFINITY;
    })
    .sort((a, b) => a - b);
  if (p99s.length === 0) return '';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '∞');
  return `per-event p99: min ${f(p99s[0]!)}, median ${f(percentil(p99s, 50))}, max ${f(p99s.at(-1)!)} ms`;
}

/** The medians of a server's CPU and wall time per event's fan-out (from its delivery to the next turn of its loop). */
function custoPorEvento(custos: Array<{ cpuMs: number; paredeMs: number } | null>): string {
  const medidos = custos.filter((c) => c !== null);
  if (medidos.length === 0) return '';
  const cpu = percentil(
    medidos.map((c) => c.cpuMs).sort((a, b) => a - b),
    50,
  );
  const parede = percentil(
    medidos.map((c) => c.paredeMs).sort((a, b) => a - b),
    50,
  );
  return `a server's fan-out per event (median): ${cpu.toFixed(1)} ms CPU in ${parede.toFixed(1)} ms`;
}

const PISO_UM = 'floor (raw ws, same bytes)';
const PISO_DOIS = 'floor on two processes (raw ws, same bytes)';

const fmtMs = (r: Pick<Resultado, 'p99' | 'prazoMs'>, campo: 'p50' | 'p99' | 'max' = 'p99') => {
  const v = (r as unknown as Record<string, number>)[campo]!;
  return v === Number.POSITIVE_INFINITY ? `> ${r.prazoMs} ms` : Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—';
};

type Contagem = { n: number; erros: number };
const somar = (contagens: Contagem[]): Contagem => ({
  n: contagens.reduce((a, c) => a + c.n, 0),
  erros: contagens.reduce((a, c) => a + c.erros, 0),
});

/** A committed event (or, for the floor, a written one): its seq and when it was committed. */
type Commit = { seq: number; antes?: number; depois: number };

/**
 * The two fan-out measurements on `n` subscribers already connected: ISOLADOS events one at a time,
 * each once the previous reached all of them, then a burst. Rows are named `<rotulo>, one event at a
 * time` and `<rotulo>, burst of N`.
 */
async function medirEntregas(
  rotulo: string,
  n: number,
  base: Pick<Resultado, 'assinantes' | 'conexoes' | 'kbRss' | 'kbHeap' | 'conectarS'>,
  receptor: Receptor,
  notas: string[],
  disparar: {
    isolado: (i: number) => Promise<Commit>;
    rajada: () => Promise<Commit[]>;
    /** When a gateway's bus delivered these seqs (gateway phases). */
    barramento?: (seqs: number[]) => Promise<Map<number, number>>;
    /** The server-side processes whose CPU time the burst row reports. */
    processos: Processo[];
    /** What one server (the first) spent on each of these seqs' fan-out: its CPU and wall time (one-at-a-time rows). */
    custos: (seqs: number[]) => Promise<Array<{ cpuMs: number; paredeMs: number } | null>>;
  },
): Promise<[Resultado, Resultado]> {
  const porSeqIsolado = new Map<number, number>();
  const cpuIsolados = cpuDaRajada(`${rotulo} one event at a time`, disparar.processos);
  await cpuIsolados.iniciar();
  const fimIsolados = Date.now() + LIMITE_ISOLADOS_MS;
  for (let i = 0; i < ISOLADOS && Date.now() < fimIsolados; i++) {
    const antes = (await receptor.contar()).n;
    const c = await disparar.isolado(i);
    porSeqIsolado.set(c.seq, c.depois);
    depurar(`${rotulo}: isolated event ${i + 1} committed`);
    const recebidas = (await receptor.esperar(1, LIMITE_ISOLADO_MS)).n;
    depurar(`${rotulo}: isolated event ${i + 1}: ${recebidas - antes} deliveries`);
    if (recebidas < antes + n) break; // not even one event reached everyone in time: stop here
  }
  const cpuIsolado = await cpuIsolados.parar();
  const recepcaoIsolada = await receptor.recepcao();
  const isolado = resumo(
    `${rotulo}, one event at a time`,
    base,
    recepcaoIsolada,
    porSeqIsolado,
    n,
    LIMITE_ISOLADO_MS,
    [
      ...notas,
      'each event alone on the instance',
      p99sPorEvento(recepcaoIsolada, porSeqIsolado, n),
      custoPorEvento(await disparar.custos([...porSeqIsolado.keys()])),
    ],
    undefined,
    await disparar.barramento?.([...porSeqIsolado.keys()]),
  );
  isolado.cpu = cpuIsolado;
  depurar(`${rotulo}: burst`);
  const cpu = cpuDaRajada(rotulo, disparar.processos);
  await cpu.iniciar();
  await receptor.contar(); // where the wait for the burst's deliveries counts from
  const inicioRajada = agora();
  const commits = await disparar.rajada();
  const porSeq = new Map(commits.map((c) => [c.seq, c.depois] as const));
  const duracoes = commits.filter((c) => c.antes != null).map((c) => c.depois - c.antes!);
  if (duracoes.length > 0) {
    duracoes.sort((a, b) => a - b);
    const janela = Math.max(...commits.map((c) => c.depois)) - Math.min(...commits.map((c) => c.antes ?? c.depois));
    depurar(
      `${rotulo}: burst written in ${janela.toFixed(0)} ms; a step took p50 ${percentil(duracoes, 50).toFixed(1)} ms, max ${duracoes.at(-1)!.toFixed(1)} ms`,
    );
  }
  await receptor.esperar(commits.length, LIMITE_ENTREGA_MS);
  const cpuRajada = await cpu.parar();
  const rajada = resumo(
    `${rotulo}, burst of ${commits.length}`,
    base,
    await receptor.recepcao(),
    porSeq,
    n,
    LIMITE_ENTREGA_MS,
    notas,
    inicioRajada,
    await disparar.barramento?.([...porSeq.keys()]),
  );
  rajada.cpu = cpuRajada;
  depurar(`${rotulo}: burst measured`);
  return [isolado, rajada];
}

// ---- main -----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const limiteFd = garantirDescritores();
  const limpeza: Limpeza = [];
  const filhos = new Set<Filho>();
  let clientesAbertos: Conexao[] = [];
  const watchdog = setTimeout(() => {
    console.error(`\nfanout: aborted after ${LIMITE_TOTAL_MS / 60_000} min`);
    void limpar().finally(() => process.exit(2));
  }, LIMITE_TOTAL_MS);
  watchdog.unref();
  let limpando: Promise<void> | null = null;
  function limpar(): Promise<void> {
    return (limpando ??= (async () => {
      encerrarClientes(clientesAbertos);
      await Promise.all([...filhos].map((f) => f.fechar().catch(() => {})));
      for (const passo of limpeza.reverse()) await passo().catch((e) => console.error('cleanup:', (e as Error).message));
    })());
  }
  process.once('SIGINT', () => void limpar().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void limpar().finally(() => process.exit(143)));

  try {
    // ---- server, database, demo data ----------------------------------------------------------------
    const { handle, url, servidor, versao } = await bancoDeBench('fanout', 10, limpeza);

    const par = await parDeUnidades(handle);
    const viewerRem: Viewer = { sujeito: 'bench.remetente', orgaoId: par.rem_orgao, papeis: new Set(['SPE']) };
    const raizDe = async (id: number) =>
      (
        await handle.rows<{ repositorio: number; estrutura: number }>(
          'select repositorio_id::int as repositorio, numero_identificacao::int as estrutura from estruturas where id = $1',
          [id],
        )
      )[0]!;
    const tokenAdmin = await mintToken(SECRET, { sub: 'bench.pen', orgao: null, roles: ['PEN_ADMIN'] }, { expiresIn: '1h' });
    const tokenRem = await mintToken(
      SECRET,
      { sub: 'bench.remetente', orgao: await raizDe(par.rem_orgao), roles: ['SPE'] },
      { expiresIn: '1h' },
    );
    const tokenDest = await mintToken(
      SECRET,
      { sub: 'bench.destinatario', orgao: await raizDe(par.dest_orgao), roles: ['SPE'] },
      { expiresIn: '1h' },
    );

    let processo = 0;
    const criarTramites = (n: number) =>
      Promise.all(
        Array.from(
          { length: n },
          async () =>
            (
              await servicoTramites(handle.db).iniciarTramite({
                viewer: viewerRem,
                agora: new Date(),
                ambiente: 'PRODUCAO',
                tipo: 'PROCESSO',
                numeroProcesso: `fanout-${++processo}`,
                unidadeRemetenteId: par.rem,
                unidadeDestinatariaId: par.dest,
                ...CONTEUDO_DE_DEMO,
              })
            ).tramite.id,
        ),
      );

    const envBase = { BENCH_CHILD_DATABASE_URL: url, BENCH_CHILD_JWT_SECRET: SECRET };
    const iniciarGateway = async (nome: string) => {
      const { filho, pronto } = await Filho.iniciar<{ url: string }>(
        nome,
        'bench/gateway-child.ts',
        { ...envBase, BENCH_CHILD_MAX_PENDING: '100000' },
        ['--expose-gc'],
      );
      filhos.add(filho);
      return { filho, url: pronto.url };
    };
    /** When `gw`'s bus delivered each of `seqs` (those it delivered). */
    const custosDo = (servidor: Filho) => async (seqs: number[]) =>
      (await servidor.pedir<{ custos: Array<{ cpuMs: number; paredeMs: number } | null> }>({ tipo: 'custos', seqs })).custos;
    const entregasDo = (gw: Filho) => async (seqs: number[]) => {
      const { t } = await gw.pedir<{ t: Array<number | null> }>({ tipo: 'entregas', seqs });
      return new Map(seqs.flatMap((seq, i) => (t[i] == null ? [] : [[seq, t[i]!] as const])));
    };
    const fecharFilho = async (f: Filho) => {
      await f.fechar();
      filhos.delete(f);
    };
    const { filho: escritor } = await Filho.iniciar('writer', 'bench/driver-child.ts', {
      ...envBase,
      BENCH_CHILD_REMETENTE_ORGAO: String(par.rem_orgao),
      BENCH_CHILD_DESTINATARIO_ORGAO: String(par.dest_orgao),
    });
    filhos.add(escritor);
    const processoDe = (f: Filho): Processo => ({ nome: f.nome, pid: f.proc.pid!, filho: f === escritor ? undefined : f });
    /** The i-th event one at a time: the next step of one of `avulsos` (each walked 1→6, one after the other). */
    const passoIsolado = (avulsos: number[]) => async (i: number) =>
      (
        await escritor.pedir<{ commits: Commit[] }>(
          { tipo: 'servico', tramites: [avulsos[Math.floor(i / CAMINHO.length)]!], passos: [CAMINHO[i % CAMINHO.length]!] },
          30_000,
        )
      ).commits[0]!;
    const passosServico = async (tramites: number[]) =>
      (await escritor.pedir<{ commits: Commit[] }>({ tipo: 'servico', tramites, passos: CAMINHO }, LIMITE_ENTREGA_MS)).commits;

    console.log(
      `fanout: PostgreSQL ${versao} on ${servidor}; Node ${process.version}, ${cpus().length} CPU(s), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ulimit -n ${limiteFd}`,
    );
    console.log(
      `fanout: subscriber counts ${CONTAGENS.join(', ')}; ${POR_CONEXAO} subscription(s) per connection (gateway limit ${MAX_SUBS_POR_CONEXAO}); burst of ${EVENTOS} status changes; ${EVENTOS_CRUZADOS} cross-instance events`,
    );

    const resultados: Resultado[] = [];

    /**
     * `n` subscribers on each server of `urls`, held by one client process per server (bench/clients-child.ts),
     * the same for the gateways and the floors: the bench's own event loop only orchestrates, and two servers'
     * clients do not all queue on one event loop (one core) while the servers have the other.
     */
    const assinantesEm = async (urls: string[], n: number, porConexao: number, prazo: number) => {
      const capacidade = n * (EVENTOS + ISOLADOS) + 1_000;
      const clientes = await Promise.all(
        urls.map(async (_, i) => {
          const nome = urls.length === 1 ? 'clients' : `clients ${'AB'[i]}`;
          const { filho } = await Filho.iniciar(nome, 'bench/clients-child.ts', {}, EXEC_ARGV_CLIENTES, 'advanced');
          filhos.add(filho);
          return filho;
        }),
      );
      await Promise.all(
        clientes.map((f, i) =>
          f.pedir(
            { tipo: 'conectar', url: urls[i], token: tokenAdmin, assinaturas: n, porConexao, capacidade, prazo },
            prazo - Date.now() + 5_000,
          ),
        ),
      );
      const receptor: Receptor = {
        contar: async () => somar(await Promise.all(clientes.map((f) => f.pedir<Contagem>({ tipo: 'contar' })))),
        esperar: async (eventos, ms) =>
          somar(await Promise.all(clientes.map((f) => f.pedir<Contagem>({ tipo: 'esperar', eventos, ms }, ms + 10_000)))),
        recepcao: async () => Recepcao.juntar(await Promise.all(clientes.map((f) => f.pedir<Recepcao>({ tipo: 'recepcao' })))),
      };
      return {
        receptor,
        processos: clientes.map(processoDe),
        fechar: async () => {
          for (const f of clientes) await fecharFilho(f);
        },
      };
    };

    // ---- fan-out, one fresh instance per subscriber count --------------------------------------------------
    for (const n of CONTAGENS) {
      const inicioFase = Date.now();
      const { filho: gw, url: gwUrl } = await iniciarGateway(`gateway(${n})`);
      const rec = new Recepcao(1_000);

      // 1. warm-up: JIT and pools, then the idle instance's memory.
      clientesAbertos = await conectar(gwUrl, tokenAdmin, 20, 1, () => rec, Date.now() + LIMITE_CONEXAO_MS);
      await esperarAssinantes(gw, 20, Date.now() + 30_000);
      depurar('warm-up subscribers connected');
      const aquecer = await criarTramites(1);
      await passosServico(aquecer);
      depurar('warm-up steps committed');
      const limiteAquecer = Date.now() + 30_000;
      while (rec.n < 20 * CAMINHO.length && Date.now() < limiteAquecer) await sleep(50);
      depurar(`warm-up: ${rec.n} deliveries`);
      encerrarClientes(clientesAbertos);
      const tramites = await criarTramites(EVENTOS / CAMINHO.length);
      const avulsos = await criarTramites(Math.ceil(ISOLADOS / CAMINHO.length));
      await esperarAssinantes(gw, 0, Date.now() + 30_000);
      depurar('warm-up subscribers gone');
      await sleep(1_000);
      const m0 = await gw.pedir<Memoria>({ tipo: 'memoria' });

      // 2. N idle subscribers.
      const t0 = Date.now();
      const prazoConexao = t0 + LIMITE_CONEXAO_MS;
      const assinantes = await assinantesEm([gwUrl], n, POR_CONEXAO, prazoConexao);
      await esperarAssinantes(gw, n, prazoConexao);
      const conectarS = (Date.now() - t0) / 1000;
      depurar(`${n} subscribers on the bus`);
      await sleep(2_000);
      const m1 = await gw.pedir<Memoria>({ tipo: 'memoria' });
      await gw.pedir<Memoria>({ tipo: 'memoria' }); // settle, and keep the process busy-free before the burst

      const base = {
        assinantes: n,
        conexoes: Math.ceil(n / POR_CONEXAO),
        kbRss: (m1.rss - m0.rss) / n / 1024,
        kbHeap: (m1.heapUsed - m0.heapUsed) / n / 1024,
        conectarS,
      };
      const notaGc = m0.gc ? '' : 'no --expose-gc: memory without GC';

      const [isolado, rajada] = await medirEntregas(`fan-out`, n, base, assinantes.receptor, [notaGc], {
        isolado: passoIsolado(avulsos),
        rajada: () => passosServico(tramites),
        barramento: entregasDo(gw),
        custos: custosDo(gw),
        processos: [processoDe(gw), processoDe(escritor), ...assinantes.processos],
      });
      resultados.push(isolado, rajada);
      depurar('burst measured');
      await assinantes.fechar();
      depurar('clients terminated');
      await fecharFilho(gw);
      depurar('gateway closed');
      console.log(
        `  ${n} subscribers: connected in ${conectarS.toFixed(1)} s; one event at a time: p99 ${fmtMs(isolado)}; ` +
          `burst: ${rajada.entregues}/${rajada.esperadas} deliveries, p50 ${rajada.p50.toFixed(1)} ms, p99 ${fmtMs(rajada)}; ` +
          `${base.kbRss.toFixed(1)} KB RSS + ${base.kbHeap.toFixed(1)} KB heap per subscriber (phase ${((Date.now() - inicioFase) / 1000).toFixed(0)} s)`,
      );
    }

    const nMax = Math.max(...CONTAGENS);
    // Two servers: twice the subscriptions per connection, as in every earlier run of this phase (2 × nMax sockets
    // in one process would have passed a typical descriptor limit of 20,000); the servers write as many frames.
    const porConexaoDuas = Math.min(2 * POR_CONEXAO, MAX_SUBS_POR_CONEXAO);

    // ---- the floor: the same clients, the same bytes, raw `ws` writing them (bench/floor-child.ts) ------------
    // On one process with nMax subscribers, and on two with nMax each (the two-instance phase's baseline: the
    // same sockets, bytes and client process on the same cores). A failure here is reported, and the rows without
    // a floor are still printed.
    for (const processos of DUAS_INSTANCIAS ? [1, 2] : [1]) {
      const rotulo = processos === 1 ? PISO_UM : PISO_DOIS;
      try {
        const inicioFase = Date.now();
        const pisos = await Promise.all(
          Array.from({ length: processos }, async (_, i) => {
            const { filho, pronto } = await Filho.iniciar<{ url: string }>(
              processos === 1 ? 'floor' : `floor ${'AB'[i]}`,
              'bench/floor-child.ts',
              {},
            );
            filhos.add(filho);
            return { filho, url: pronto.url };
          }),
        );
        const total = processos * nMax;
        const porConexao = processos === 1 ? POR_CONEXAO : porConexaoDuas;
        const t0 = Date.now();
        const prazo = t0 + LIMITE_CONEXAO_MS;
        const assinantes = await assinantesEm(
          pisos.map((piso) => piso.url),
          nMax,
          porConexao,
          prazo,
        );
        for (const piso of pisos) await esperarAssinantes(piso.filho, nMax, prazo);
        const base = {
          assinantes: total,
          conexoes: processos * Math.ceil(nMax / porConexao),
          kbRss: Number.NaN,
          kbHeap: Number.NaN,
          conectarS: (Date.now() - t0) / 1000,
        };
        let seq = 1_000_000_000; // far from the log's seqs: the floor's events are its own
        // Every floor process writes the same events to its own subscribers; an event's time is its earliest first write.
        const escrever = async (k: number): Promise<Commit[]> => {
          const seqs = Array.from({ length: k }, () => ++seq);
          const feitos = await Promise.all(
            pisos.map((piso) => piso.filho.pedir<{ commits: Commit[] }>({ tipo: 'eventos', seqs }, LIMITE_ENTREGA_MS)),
          );
          return seqs.map((s, i) => ({ seq: s, depois: Math.min(...feitos.map((f) => f.commits[i]!.depois)) }));
        };
        const notas = ['latency from the first write of each event'];
        if (processos > 1) notas.push(`${nMax} subscribers on each process, ${porConexao} per connection, one client process each`);
        resultados.push(
          ...(await medirEntregas(rotulo, total, base, assinantes.receptor, notas, {
            isolado: async () => (await escrever(1))[0]!,
            rajada: () => escrever(EVENTOS),
            custos: custosDo(pisos[0]!.filho),
            processos: [...pisos.map((piso) => processoDe(piso.filho)), ...assinantes.processos],
          })),
        );
        await assinantes.fechar();
        for (const piso of pisos) await fecharFilho(piso.filho);
        console.log(`  ${rotulo}: ${total} raw ws subscribers (phase ${((Date.now() - inicioFase) / 1000).toFixed(0)} s)`);
      } catch (error) {
        console.log(`  ${rotulo}: failed, not measured (${(error as Error).message.slice(0, 200)})`);
        encerrarClientes(clientesAbertos);
        for (const f of [...filhos]) if (f.nome.startsWith('floor') || f.nome.startsWith('clients')) await fecharFilho(f);
      }
    }

    // ---- two instances behind one PostgreSQL, nMax subscribers on each ----------------------------------------
    // A failure here is reported too, without losing the rows above.
    if (DUAS_INSTANCIAS) {
      try {
        const inicioFase = Date.now();
        const um = await iniciarGateway('gateway A');
        const dois = await iniciarGateway('gateway B');
        const total = 2 * nMax;
        // Created before anyone subscribes: their events are not part of the measurement.
        const tramites = await criarTramites(EVENTOS / CAMINHO.length);
        const avulsos = await criarTramites(Math.ceil(ISOLADOS / CAMINHO.length));
        await sleep(1_000);
        const t0 = Date.now();
        const prazo = t0 + LIMITE_CONEXAO_MS;
        const porConexao = porConexaoDuas;
        const assinantes = await assinantesEm([um.url, dois.url], nMax, porConexao, prazo);
        await esperarAssinantes(um.filho, nMax, prazo);
        await esperarAssinantes(dois.filho, nMax, prazo);
        const base = {
          assinantes: total,
          conexoes: 2 * Math.ceil(nMax / porConexao),
          kbRss: Number.NaN,
          kbHeap: Number.NaN,
          conectarS: (Date.now() - t0) / 1000,
        };
        resultados.push(
          ...(await medirEntregas(
            'two instances',
            total,
            base,
            assinantes.receptor,
            [`${nMax} subscribers on each instance, ${porConexao} per connection, one client process each`],
            {
              isolado: passoIsolado(avulsos),
              rajada: () => passosServico(tramites),
              barramento: entregasDo(um.filho),
              custos: custosDo(um.filho),
              processos: [processoDe(um.filho), processoDe(dois.filho), processoDe(escritor), ...assinantes.processos],
            },
          )),
        );
        await assinantes.fechar();
        await fecharFilho(um.filho);
        await fecharFilho(dois.filho);
        console.log(`  two instances: ${total} subscribers (phase ${((Date.now() - inicioFase) / 1000).toFixed(0)} s)`);
      } catch (error) {
        console.log(`  two instances: failed, not measured (${(error as Error).message.slice(0, 200)})`);
        encerrarClientes(clientesAbertos);
        for (const f of [...filhos]) if (f.nome.startsWith('gateway ') || f.nome.startsWith('clients')) await fecharFilho(f);
      }
    }

    // ---- cross-instance ----------------------------------------------------------------------------------
    // A failure here (e.g. a step the HTTP writer cannot take) is reported without losing the figures above.
    try {
      const inicioFase = Date.now();
      const um = await iniciarGateway('gateway 1');
      const dois = await iniciarGateway('gateway 2');
      const rec1 = new Recepcao(EVENTOS_CRUZADOS * 2 + 100);
      const rec2 = new Recepcao(EVENTOS_CRUZADOS * 2 + 100);
      const prazo = Date.now() + LIMITE_CONEXAO_MS;
      const c1 = await conectar(um.url, tokenAdmin, 1, 1, () => rec1, prazo);
      const c2 = await conectar(dois.url, tokenAdmin, 1, 1, () => rec2, prazo);
      clientesAbertos = [...c1, ...c2];
      await esperarAssinantes(um.filho, 1, prazo);
      await esperarAssinantes(dois.filho, 1, prazo);
      const http = async (tramites: number[]) =>
        (
          await escritor.pedir<{ commits: Commit[] }>(
            { tipo: 'http', url: um.url, tramites, passos: CAMINHO, tokenRemetente: tokenRem, tokenDestinatario: tokenDest },
            LIMITE_ENTREGA_MS,
          )
        ).commits;
      await http(await criarTramites(2)); // warm-up, not measured
      const tramites = await criarTramites(EVENTOS_CRUZADOS / CAMINHO.length);
      await sleep(500);
      const n1 = rec1.n;
      const n2 = rec2.n;
      const commits = await http(tramites);
      const prazoEntrega = Date.now() + 30_000;
      while ((rec1.n - n1 < commits.length || rec2.n - n2 < commits.length) && Date.now() < prazoEntrega) await sleep(20);
      for (const [nome, rec, comparar] of [
        ['cross-instance: mutation via 1, subscriber on 2', rec2, 'depois'],
        ['same instance (baseline): via 1, subscriber on 1', rec1, 'depois'],
        ['cross-instance, from request sent (upper bound)', rec2, 'antes'],
      ] as const) {
        const porSeq = new Map(commits.map((c) => [c.seq, comparar === 'antes' ? c.antes! : c.depois] as const));
        const base = { assinantes: 1, conexoes: 1, kbRss: Number.NaN, kbHeap: Number.NaN, conectarS: Number.NaN };
        const nota =
          comparar === 'depois'
            ? "latency from the mutation's HTTP answer (the commit is a little earlier: a lower bound)"
            : 'latency from the request being sent (includes the mutation itself: an upper bound)';
        resultados.push(resumo(nome, base, rec, porSeq, 1, 30_000, [nota]));
      }
      encerrarClientes(clientesAbertos);
      await fecharFilho(um.filho);
      await fecharFilho(dois.filho);
      console.log(`  cross-instance: ${commits.length} mutations (phase ${((Date.now() - inicioFase) / 1000).toFixed(0)} s)`);
    } catch (error) {
      console.log(`  cross-instance: failed, not measured (${(error as Error).message.slice(0, 200)})`);
      encerrarClientes(clientesAbertos);
    }

    imprimir(resultados);
  } finally {
    clearTimeout(watchdog);
    await limpar();
  }
}

// ---- report ---------------------------------------------------------------------------------------------

function imprimir(resultados: Resultado[]): void {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  const ms = (r: Resultado, campo: 'p50' | 'p99' | 'max') => (r[campo] === Number.POSITIVE_INFINITY ? `> ${r.prazoMs}` : f(r[campo]));
  const fanout = resultados.filter((r) => r.fase.startsWith('fan-out, burst'));
  const isolados = resultados.filter((r) => r.fase.startsWith('fan-out, one event'));
  const sinal = (x: number) => (x >= 0 ? `+${f(x)}` : f(x));
  const cab = [
    'measurement',
    'subs',
    'conns',
    'events',
    'delivered',
    'p50 ms',
    'p99 ms',
    'max ms',
    '1st sub p50',
    'bus p50',
    'bus reads',
    'deliveries/s',
    'KB RSS/sub',
    'KB heap/sub',
    'connect s',
    'vs baseline',
    'notes',
  ];
  const linhas = resultados.map((r) => {
    let comparado = '';
    const grupo = fanout.includes(r) ? fanout : isolados.includes(r) ? isolados : null;
    const base = grupo?.[0];
    if (grupo && base && r !== base) {
      comparado = `p99 ${Number.isFinite(r.p99) ? `${f(r.p99 / base.p99, 2)}x` : `> ${f(r.prazoMs / base.p99, 2)}x`}, RSS/sub ${f(r.kbRss / base.kbRss, 2)}x (base: ${base.assinantes} subs)`;
    } else if (grupo && r === base) comparado = 'baseline';
    else if (r.fase.startsWith('cross-instance:')) {
      const mesma = resultados.find((x) => x.fase.startsWith('same instance'));
      if (mesma) comparado = `p99 ${sinal(r.p99 - mesma.p99)} ms vs same instance`;
    } else if (r.fase.startsWith('same instance')) comparado = 'baseline';
    return [
      r.fase,
      String(r.assinantes),
      String(r.conexoes),
      String(r.eventos),
      `${r.entregues}/${r.esperadas}`,
      ms(r, 'p50'),
      ms(r, 'p99'),
      ms(r, 'max'),
      f(r.primeiraP50),
      f(r.barramentoP50),
      f(r.voltas, 0),
      f(r.porSegundo, 0),
      f(r.kbRss),
      f(r.kbHeap),
      f(r.conectarS),
      comparado,
      r.nota,
    ];
  });
  const larguras = cab.map((c, i) => Math.max(c.length, ...linhas.map((l) => l[i]!.length)));
  const fmt = (l: string[]) =>
    `| ${l.map((x, i) => (i === 0 || i >= l.length - 2 ? x.padEnd(larguras[i]!) : x.padStart(larguras[i]!))).join(' | ')} |`;
  console.log('');
  console.log('Live-feed fan-out (eventosTramites over graphql-ws; latency = delivery received − commit returned)');
  console.log(fmt(cab));
  console.log(`|${larguras.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of linhas) console.log(fmt(l));
  console.log('');

  // CPU time over each burst: which process the burst's time went to.
  const comCpu = resultados.filter((r) => r.cpu);
  if (comCpu.length > 0) {
    console.log(
      'CPU time during each phase (user + system, from /proc; from the first commit or write to the last delivery; one at a time: the waits between events included)',
    );
    const cabC = ['phase', 'window ms', 'processes (ms each, per event)', 'this process ms', 'machine busy'];
    const linhasC = comCpu.map((r) => [
      r.fase,
      f(r.cpu!.janelaMs, 0),
      r.cpu!.porProcesso.map((p) => `${p.nome} ${f(p.ms, 0)} (${f(p.ms / Math.max(1, r.eventos))})`).join(', '),
      f(r.cpu!.esteMs, 0),
      `${f(100 * r.cpu!.maquinaOcupada, 0)}%`,
    ]);
    const largC = cabC.map((c, i) => Math.max(c.length, ...linhasC.map((l) => l[i]!.length)));
    const fmtC = (l: string[]) => `| ${l.map((x, i) => x.padEnd(largC[i]!)).join(' | ')} |`;
    console.log(fmtC(cabC));
    console.log(`|${largC.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of linhasC) console.log(fmtC(l));
    console.log('');
  }

  // Targets, each beside the floor of the same run (raw ws writing the same bytes to as many sockets); two
  // instances beside the floor on two processes (the same sockets and client process), else on one.
  const alvo10k = fanout.find((r) => r.assinantes === 10_000) ?? fanout.at(-1);
  const isolado10k = isolados.find((r) => r.assinantes === alvo10k?.assinantes);
  const piso = (rotulo: string, tipo: string) => resultados.find((r) => r.fase.startsWith(`${rotulo}, `) && r.fase.includes(tipo));
  const pisoIsolado = piso(PISO_UM, 'one event');
  const pisoRajada = piso(PISO_UM, 'burst');
  const pisoDoisIsolado = piso(PISO_DOIS, 'one event') ?? pisoIsolado;
  const pisoDoisRajada = piso(PISO_DOIS, 'burst') ?? pisoRajada;
  const duasIsolado = resultados.find((r) => r.fase.startsWith('two instances') && r.fase.includes('one event'));
  const duasRajada = resultados.find((r) => r.fase.startsWith('two instances') && r.fase.includes('burst'));
  const cruzado = resultados.find((r) => r.fase.startsWith('cross-instance:'));
  const linhasAlvo: string[][] = [];
  const razao = (r: Resultado, piso: Resultado | undefined) =>
    piso && Number.isFinite(piso.p99) && piso.p99 > 0
      ? `${Number.isFinite(r.p99) ? f(r.p99 / piso.p99, 2) : `> ${f(r.prazoMs / piso.p99, 2)}`}x`
      : '—';
  const alvo = (nome: string, r: Resultado | undefined, limite: number, piso?: Resultado) => {
    if (!r || r.eventos === 0) return;
    linhasAlvo.push([
      nome,
      `< ${limite} ms`,
      fmtMs(r),
      piso
        ? `${fmtMs(piso)}${piso.fase.startsWith(PISO_DOIS) ? ' (floor, 2 processes)' : piso.fase.startsWith(PISO_UM) ? ' (floor)' : ''}`
        : '—',
      piso ? razao(r, piso) : '—',
      r.p99 < limite ? 'MET' : 'MISSED',
    ]);
  };
  if (alvo10k) {
    const nome = alvo10k.assinantes === 10_000 ? '10,000 subscribers' : `${alvo10k.assinantes} subscribers (10,000 not run)`;
    alvo(`${nome}: p99 latency, one event at a time`, isolado10k, 250, pisoIsolado);
    alvo(`${nome}: p99 latency, burst of ${alvo10k.eventos}`, alvo10k, 2_000, pisoRajada);
    for (const [campo, rotulo] of [
      ['kbRss', 'RSS'],
      ['kbHeap', 'heap'],
    ] as const) {
      const v = alvo10k[campo];
      linhasAlvo.push([`${nome}: memory per idle subscriber (${rotulo})`, '<= 30 KB', `${f(v)} KB`, '—', '—', v <= 30 ? 'MET' : 'MISSED']);
    }
  }
  alvo(`two instances, ${duasIsolado?.assinantes ?? 0} subscribers: p99, one event at a time`, duasIsolado, 250, pisoDoisIsolado);
  alvo(
    `two instances, ${duasRajada?.assinantes ?? 0} subscribers: p99, burst of ${duasRajada?.eventos ?? 0}`,
    duasRajada,
    2_000,
    pisoDoisRajada,
  );
  if (cruzado)
    alvo(
      'cross-instance p99 latency',
      cruzado,
      50,
      resultados.find((r) => r.fase.startsWith('same instance')),
    );
  const cabA = ['target', 'goal', 'measured', 'baseline (same run)', 'ratio', 'verdict'];
  const largA = cabA.map((c, i) => Math.max(c.length, ...linhasAlvo.map((l) => l[i]!.length)));
  const fmtA = (l: string[]) => `| ${l.map((x, i) => x.padEnd(largA[i]!)).join(' | ')} |`;
  console.log('Targets');
  console.log(fmtA(cabA));
  console.log(`|${largA.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of linhasAlvo) console.log(fmtA(l));
  console.log('');
  console.log(
    'Baseline: the floor (bench/floor-child.ts: raw ws writing the same frames to as many graphql-transport-ws clients; for two instances ' +
      'two floor processes with as many subscribers each) for fan-out, ' +
      'the same instance for cross-instance. ' +
      'Notes: every measured subscriber is held by a client process of its own server (bench/clients-child.ts, the same light client for the gateways and the floors), so latency includes their own queueing; ' +
      'the gateway runs in a child process, the writer in another; memory per subscriber = (RSS or heap after GC with N idle ' +
      'subscribers − the same before them) / N, server side only.',
  );
}

main().catch((error) => {
  console.error('fanout failed:', error);
  process.exitCode = 1;
});
