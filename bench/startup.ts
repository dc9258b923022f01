/**
 * Start-up of the embedded gateway: from spawning the command to the first answer of a GraphQL query
 * (a demo token's `painel`), cold (an empty data folder: template or initdb, migrations, demo seed) and
 * warm (the same folder again), and the RSS of the idle process after its first answer.
 *
 *   npx tsx bench/startup.ts [--runs 5]
 *
 * Variants, interleaved run by run so load on the machine hits them alike:
 *   - `npm start`                 what the README says (npm, the stale-build check, compiled JS, the template);
 *   - `node dist/scripts/start.js` what the container runs;
 *   - baseline: `node --import tsx scripts/start.ts`, the TypeScript compiled at every start and no
 *     template (how `npm start` ran before `npm run build`), measured in the same run.
 * Runs `npm run build` first. Targets: cold < 3 s, warm < 1.5 s (medians). Every start is bounded
 * (60 s) and killed with its process group (also when the bench is interrupted); the folders are temporary. Not part of the test suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const raiz = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS <= 0 || RUNS > 20) throw new Error('--runs must be an integer from 1 to 20');
const LIMITE_MS = 60_000;

const VARIANTES = [
  { nome: 'npm start', cmd: 'npm', args: ['start', '--silent'] },
  { nome: 'node dist/scripts/start.js', cmd: process.execPath, args: ['dist/scripts/start.js'] },
  { nome: 'baseline: node --import tsx scripts/start.ts', cmd: process.execPath, args: ['--import', 'tsx', 'scripts/start.ts'] },
] as const;

const portaLivre = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssDoGrupo(pgid: number): number {
  // The gateway is the node process of the group (npm and sh are its parents under `npm start`).
  const out = spawnSync('ps', ['-o', 'rss=,comm=', '-g', String(pgid)], { encoding: 'utf8' }).stdout;
  return Math.max(
    0,
    ...out
      .split('\n')
      .filter((l) => /\bnode$/.test(l.trim()))
      .map((l) => Number(l.trim().split(/\s+/)[0]) * 1024),
  );
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

/** Spawns, polls the query every 10 ms, answers ms to the first 200 with data, and the idle RSS. */
async function medir(variante: (typeof VARIANTES)[number], pasta: string, token: string): Promise<{ ms: number; rss: number }> {
  const porta = await portaLivre();
  const t0 = performance.now();
  const filho = spawn(variante.cmd, [...variante.args], {
    cwd: raiz,
    detached: true, // its own process group, killed as one
    stdio: 'ignore',
    env: {
      ...process.env,
      PGLITE_DATA_DIR: pasta,
      PORT: String(porta),
      HOST: '127.0.0.1',
      AUTO_CANCEL_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
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
    await sleep(2_000); // idle after the first answer
    return { ms, rss: rssDoGrupo(filho.pid!) };
  } finally {
    await parar(filho);
  }
}

const mediana = (xs: number[]) => {
  const o = [...xs].sort((a, b) => a - b);
  return o.length % 2 ? o[(o.length - 1) / 2]! : (o[o.length / 2 - 1]! + o[o.length / 2]!) / 2;
};

async function main(): Promise<void> {
  console.log(`startup: ${RUNS} run(s) of each variant, cold then warm; npm run build first`);
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: raiz, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const token = spawnSync(process.execPath, ['dist/scripts/token.js', '--demo', '1'], { cwd: raiz, encoding: 'utf8' }).stdout.trim();
  if (!token) throw new Error('no demo token from dist/scripts/token.js');

  const figuras = new Map(VARIANTES.map((v) => [v.nome, { frio: [] as number[], quente: [] as number[], rss: [] as number[] }]));
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const v of VARIANTES) {
        const base = mkdtempSync(join(tmpdir(), 'tramita-startup-'));
        pastas.push(base);
        const pasta = join(base, 'pglite');
        const frio = await medir(v, pasta, token);
        const quente = await medir(v, pasta, token);
        const f = figuras.get(v.nome)!;
        f.frio.push(frio.ms);
        f.quente.push(quente.ms);
        f.rss.push(quente.rss);
        rmSync(base, { recursive: true, force: true });
        console.log(
          `  run ${run}, ${v.nome}: cold ${frio.ms.toFixed(0)} ms, warm ${quente.ms.toFixed(0)} ms, RSS ${(quente.rss / 2 ** 20).toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    for (const p of pastas) rmSync(p, { recursive: true, force: true });
  }

  const base = figuras.get(VARIANTES[2].nome)!;
  console.log('\nEmbedded start-up to first answer (medians)');
  console.log('| variant | cold ms | warm ms | idle RSS MiB | cold vs baseline | warm vs baseline |');
  console.log('|---|---|---|---|---|---|');
  for (const [nome, f] of figuras) {
    const r = (a: number[], b: number[]) => (f === base ? 'baseline' : `${(mediana(a) / mediana(b)).toFixed(2)}x`);
    console.log(
      `| ${nome} | ${mediana(f.frio).toFixed(0)} | ${mediana(f.quente).toFixed(0)} | ${(mediana(f.rss) / 2 ** 20).toFixed(0)} | ${r(f.frio, base.frio)} | ${r(f.quente, base.quente)} |`,
    );
  }
  const npm = figuras.get('npm start')!;
  console.log('\nTargets (`npm start`)');
  console.log('| target | goal | measured | baseline (same run) | ratio | verdict |');
  console.log('|---|---|---|---|---|---|');
  for (const [nome, xs, bs, limite] of [
    ['cold start (empty data folder) to first answer', npm.frio, base.frio, 3_000],
    ['warm start to first answer', npm.quente, base.quente, 1_500],
  ] as const) {
    const m = mediana(xs);
    console.log(
      `| ${nome} | < ${limite} ms | ${m.toFixed(0)} ms | ${mediana(bs).toFixed(0)} ms | ${(m / mediana(bs)).toFixed(2)}x | ${m < limite ? 'MET' : 'MISSED'} |`,
    );
  }
  console.log(
    `| idle RSS after the first answer | — | ${(mediana(npm.rss) / 2 ** 20).toFixed(0)} MiB | ${(mediana(base.rss) / 2 ** 20).toFixed(0)} MiB | ${(mediana(npm.rss) / mediana(base.rss)).toFixed(2)}x | — |`,
  );
  const carga = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\nLoad average at the end: ${carga} (the machine's other work slows every variant alike).`);
}

main().catch((error) => {
  console.error('startup failed:', error);
  process.exitCode = 1;
});
