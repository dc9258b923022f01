/**
 * Start-up of the embedded gateway: from spawning the command to the first answer of a GraphQL query
 * (a demo token's `painel`), cold (an empty data folder: template copy, migrations check, demo seed) and
 * warm (the same folder again), the CPU the process spent until then, and its RSS idle after that answer.
 *
 *   npx tsx bench/startup.ts [--runs 5]
 *
 * Variants, interleaved run by run so load on the machine hits them alike:
 *   - `npm start`                  what the README says (npm, the stale-build check, the bundle, the template);
 *   - `node dist/scripts/start.js` what the container runs;
 *   - baseline: `node -e` of a bare node:http server answering the same POST with `{"data":{}}`: the floor
 *     of spawning Node and answering, measured in the same run;
 *   - with BENCH_STARTUP_BEFORE=<another checkout, installed and built>: its `npm start` too, in the same rounds (a
 *     before/after of a change in one run).
 * Runs `npm run build` first. Goals (issue 15): cold < 3 s, warm < 1.5 s (medians of `npm start`). The
 * gateway's start-up log line gives the phases (wall and CPU ms), printed as medians. Every start is bounded
 * (60 s) and killed with its process group (also when the bench is interrupted); the folders are temporary.
 * Not part of the test suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mediana } from './support.js';

const raiz = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS <= 0 || RUNS > 20) throw new Error('--runs must be an integer from 1 to 20');
const LIMITE_MS = 60_000;
const METAS = { frio: 3_000, quente: 1_500 };

const SERVIDOR_NU = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}')); }).listen(Number(process.env.PORT), process.env.HOST);`;

interface Variante {
  nome: string;
  cmd: string;
  args: string[];
  /** A gateway (cold and warm, phases in its log), or the bare server (one start per run). */
  gateway: boolean;
  /** The checkout it starts in (default this one). */
  cwd?: string;
}
const NPM_START: Variante = { nome: 'npm start', cmd: 'npm', args: ['start', '--silent'], gateway: true };
const VARIANTES: Variante[] = [
  NPM_START,
  { nome: 'node dist/scripts/start.js', cmd: process.execPath, args: ['dist/scripts/start.js'], gateway: true },
  ...(process.env.BENCH_STARTUP_BEFORE
    ? [
        {
          nome: `npm start in ${process.env.BENCH_STARTUP_BEFORE}`,
          cmd: 'npm',
          args: ['start', '--silent'],
          gateway: true,
          cwd: process.env.BENCH_STARTUP_BEFORE,
        },
      ]
    : []),
];
const BASE: Variante = { nome: 'baseline: bare node:http server', cmd: process.execPath, args: ['-e', SERVIDOR_NU], gateway: false };

const portaLivre = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The node process of the group (npm and sh are its parents under `npm start`): RSS bytes and CPU ms so far. */
function noDoGrupo(pgid: number): { rss: number; cpuMs: number } {
  const out = spawnSync('ps', ['-o', 'pid=,rss=,comm=', '-g', String(pgid)], { encoding: 'utf8' }).stdout;
  const nodes = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c[2] === 'node')
    .map(([pid, rss]) => ({ pid: Number(pid), rss: Number(rss) * 1024 }));
  const maior = nodes.sort((a, b) => b.rss - a.rss)[0];
  if (!maior) return { rss: 0, cpuMs: 0 };
  try {
    // utime + stime in clock ticks (100 per second on Linux), every thread of the process.
    const campos = readFileSync(`/proc/${maior.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { rss: maior.rss, cpuMs: (Number(campos[11]) + Number(campos[12])) * 10 };
  } catch {
    return { rss: maior.rss, cpuMs: 0 };
  }
}

async function parar(filho: ChildProcess): Promise<void> {
  if (filho.exitCode !== null || filho.pid === undefined) return;
  const saiu = new Promise<void>((resolve) => filho.once('exit', () => resolve()));
  process.kill(-filho.pid, 'SIGTERM');
  const t = setTimeout(() => filho.pid && process.kill(-filho.pid, 'SIGKILL'), 10_000);
  await saiu;
  clearTimeout(t);
  await sleep(200); // the folder lock is released on exit
}

/** The start in progress and the folders made so far: an interrupted run still kills and removes them. */
const emCurso: { filho: ChildProcess | null } = { filho: null };
const pastas: string[] = [];
for (const sinal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sinal, () => {
    const { filho } = emCurso;
    if (filho?.pid !== undefined && filho.exitCode === null) process.kill(-filho.pid, 'SIGKILL');
    for (const p of pastas) rmSync(p, { recursive: true, force: true });
    process.exit(130);
  });
}

interface Medida {
  ms: number;
  cpuMs: number;
  rss: number;
  fases: Record<string, number> | null;
  fasesCpu: Record<string, number> | null;
}

/** Spawns, polls the query every 10 ms, answers ms to the first 200 with data, CPU until then, the idle RSS. */
async function medir(variante: Variante, pasta: string, token: string): Promise<Medida> {
  const porta = await portaLivre();
  const t0 = performance.now();
  const filho = spawn(variante.cmd, variante.args, {
    cwd: variante.cwd ?? raiz,
    detached: true, // its own process group, killed as one
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      PGLITE_DATA_DIR: pasta,
      PORT: String(porta),
      HOST: '127.0.0.1',
      AUTO_CANCEL_ENABLED: 'false',
      LOG_LEVEL: 'info',
    },
  });
  emCurso.filho = filho;
  let linhaDePartida: { phasesMs?: Record<string, number>; phasesCpuMs?: Record<string, number> } | null = null;
  let resto = '';
  filho.stdout!.on('data', (chunk: Buffer) => {
    const linhas = (resto + chunk.toString('utf8')).split('\n');
    resto = linhas.pop() ?? '';
    for (const l of linhas) if (!linhaDePartida && l.includes('"phasesMs"')) linhaDePartida = JSON.parse(l);
  });
  try {
    for (;;) {
      if (performance.now() - t0 > LIMITE_MS) throw new Error(`${variante.nome}: no answer within ${LIMITE_MS / 1000} s`);
      if (filho.exitCode !== null) throw new Error(`${variante.nome}: exited (${filho.exitCode}) before answering`);
      const ok = await fetch(`http://127.0.0.1:${porta}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{"query":"{ painel { comoOrigem { total } } }"}',
      })
        .then(async (r) => r.ok && ((await r.json()) as { data?: unknown }).data != null)
        .catch(() => false);
      if (ok) break;
      await sleep(10);
    }
    const ms = performance.now() - t0;
    const { cpuMs } = noDoGrupo(filho.pid!);
    await sleep(2_000); // idle after the first answer
    const { rss } = noDoGrupo(filho.pid!);
    const linha = linhaDePartida as { phasesMs?: Record<string, number>; phasesCpuMs?: Record<string, number> } | null;
    return { ms, cpuMs, rss, fases: linha?.phasesMs ?? null, fasesCpu: linha?.phasesCpuMs ?? null };
  } finally {
    await parar(filho);
    emCurso.filho = null;
  }
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  console.log(`startup: ${RUNS} run(s); per run each gateway variant cold then warm, and the bare server; npm run build first`);
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: raiz, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const token = spawnSync(process.execPath, ['dist/scripts/token.js', '--demo', '1'], { cwd: raiz, encoding: 'utf8' }).stdout.trim();
  if (!token) throw new Error('no demo token from dist/scripts/token.js');

  const figuras = new Map(VARIANTES.map((v) => [v.nome, { frio: [] as Medida[], quente: [] as Medida[] }]));
  const base: Medida[] = [];
  const inicio = performance.now();
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const v of VARIANTES) {
        const dir = mkdtempSync(join(tmpdir(), 'tramita-startup-'));
        pastas.push(dir);
        const pasta = join(dir, 'pglite');
        const frio = await medir(v, pasta, token);
        const quente = await medir(v, pasta, token);
        figuras.get(v.nome)!.frio.push(frio);
        figuras.get(v.nome)!.quente.push(quente);
        rmSync(dir, { recursive: true, force: true });
        console.log(
          `  run ${run}, ${v.nome}: cold ${frio.ms.toFixed(0)} ms (CPU ${frio.cpuMs}), warm ${quente.ms.toFixed(0)} ms (CPU ${quente.cpuMs}), RSS ${mib(quente.rss)} MiB`,
        );
      }
      const b = await medir(BASE, tmpdir(), token);
      base.push(b);
      console.log(`  run ${run}, ${BASE.nome}: ${b.ms.toFixed(0)} ms (CPU ${b.cpuMs}), RSS ${mib(b.rss)} MiB`);
    }
  } finally {
    for (const p of pastas) rmSync(p, { recursive: true, force: true });
  }

  const baseMs = mediana(base.map((m) => m.ms));
  const ms = (xs: Medida[]) => mediana(xs.map((m) => m.ms));
  const cpu = (xs: Medida[]) => mediana(xs.map((m) => m.cpuMs));
  console.log(`\nEmbedded start-up to first answer (medians of ${RUNS})`);
  console.log('| variant | cold ms | cold CPU ms | warm ms | warm CPU ms | idle RSS MiB | cold / baseline | warm / baseline |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [nome, f] of figuras) {
    console.log(
      `| ${nome} | ${ms(f.frio).toFixed(0)} | ${cpu(f.frio).toFixed(0)} | ${ms(f.quente).toFixed(0)} | ${cpu(f.quente).toFixed(0)} | ${mib(mediana(f.quente.map((m) => m.rss)))} | ${(ms(f.frio) / baseMs).toFixed(1)}x | ${(ms(f.quente) / baseMs).toFixed(1)}x |`,
    );
  }
  console.log(
    `| ${BASE.nome} | ${baseMs.toFixed(0)} | ${cpu(base).toFixed(0)} | — | — | ${mib(mediana(base.map((m) => m.rss)))} | baseline | baseline |`,
  );

  const npm = figuras.get(NPM_START.nome)!;
  console.log('\nPhases of `npm start` (medians, ms since the previous phase; the first is Node + loading the bundle)');
  console.log('| phase | cold wall | cold CPU | warm wall | warm CPU |');
  console.log('|---|---|---|---|---|');
  const nomes = [...new Set([...npm.frio, ...npm.quente].flatMap((m) => Object.keys(m.fases ?? {})))];
  const fase = (xs: Medida[], nome: string, cpuDaFase: boolean) => {
    const v = mediana(
      xs.flatMap((m) => ((cpuDaFase ? m.fasesCpu : m.fases)?.[nome] !== undefined ? [(cpuDaFase ? m.fasesCpu : m.fases)![nome]!] : [])),
    );
    return Number.isNaN(v) ? '—' : v.toFixed(0);
  };
  for (const nome of nomes)
    console.log(
      `| ${nome} | ${fase(npm.frio, nome, false)} | ${fase(npm.frio, nome, true)} | ${fase(npm.quente, nome, false)} | ${fase(npm.quente, nome, true)} |`,
    );

  console.log('\nGoals (`npm start`, issue 15 goal 5)');
  console.log('| goal | target | measured | baseline (same run) | ratio | verdict |');
  console.log('|---|---|---|---|---|---|');
  for (const [nome, xs, limite] of [
    ['cold start (empty data folder) to first answer', npm.frio, METAS.frio],
    ['warm start to first answer', npm.quente, METAS.quente],
  ] as const) {
    const m = ms(xs);
    console.log(
      `| ${nome} | < ${limite} ms | ${m.toFixed(0)} ms | ${baseMs.toFixed(0)} ms | ${(m / baseMs).toFixed(1)}x | ${m < limite ? 'MET' : 'MISSED'} |`,
    );
  }
  const carga = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `\nBench took ${((performance.now() - inicio) / 1000).toFixed(0)} s after the build. Load average at the end: ${carga} (the machine's other work slows every variant alike; the CPU columns are what load does not inflate).`,
  );
}

main().catch((error) => {
  console.error('startup failed:', error);
  process.exitCode = 1;
});
