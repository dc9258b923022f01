/**
 * CPU per request of the read workloads (issue 15 goal 1, issue 11's pendências) through one gateway process:
 * the figure that holds on a shared machine, where req/s does not. Starts a throwaway PostgreSQL (or uses
 * BENCH_DATABASE_URL), seeds the demo data and BENCH_TRAMITES (20,000) trâmites with 5 events each, forks
 * bench/gateway-child.ts and sends each workload BENCH_REQUESTS (1,000) requests at concurrency 10 with autocannon,
 * reading the gateway process's CPU time from /proc before and after. BENCH_ROUNDS (5) rounds, the workloads
 * interleaved; the median and the lowest per workload are printed. BENCH_GATEWAY_EXEC_ARGV (e.g. "--cpu-prof --cpu-prof-dir=.artifacts")
 * is passed to the gateway's process, BENCH_GATEWAY_ENV (e.g. "GRAPHQL_EXECUTOR=graphql-js") adds to its environment;
 * BENCH_GATEWAY_EXEC_ARGV_B / BENCH_GATEWAY_ENV_B start a second gateway measured in the same rounds.
 *
 *   npx tsx bench/cpu-leituras.ts
 *
 * W1 a page of 50 trâmites with both units and their agencies (then the next page), W2 one trâmite with its history,
 * P `pendencias(first: 50)` of the ten agencies with the most pending work, each an SPE, C W3's `painel` of the agency
 * with the most trâmites (the admin token, `accept-encoding: br, gzip` as bench/contagens.ts's client and a browser
 * send), C0 the same without accept-encoding, N a gestor's `tramites(first: 0) { totalCount }`, T `{ __typename }` with
 * the admin token: what the HTTP + GraphQL pipeline alone costs (BENCH_WORKLOADS=W1,P: a subset; default W1,W2,P,T).
 * Not part of the suite.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { mintToken } from '../src/identity/tokens.js';
import { bancoDeBench, cpuMs, envInt, type Limpeza, limpar, semearTramites } from './support.js';

const TRAMITES = envInt('BENCH_TRAMITES', 20_000);
const PEDIDOS = envInt('BENCH_REQUESTS', 1000);
const RODADAS = envInt('BENCH_ROUNDS', 5);
const CARGAS = (process.env.BENCH_WORKLOADS ?? 'W1,W2,P,T').split(',');
const CONCORRENCIA = 10;
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';
const raiz = fileURLToPath(new URL('..', import.meta.url));

const UNIDADE = 'sigla nome orgao { sigla nome }';
const W1 = `query W($after: String) { tramites(first: 50, after: $after) { pageInfo { hasNextPage endCursor }
  nodes { id idt nre numeroProcesso situacao criadoEm unidadeRemetente { ${UNIDADE} } unidadeDestinataria { ${UNIDADE} } } } }`;
const W2 = `query W($idt: String!) { tramite(idt: $idt) { idt nre situacao unidadeRemetente { sigla } unidadeDestinataria { sigla }
  historico { situacao lado ator ocorridoEm } } }`;
const P = `query P($first: Int!) { pendencias(first: $first) { pageInfo { hasNextPage endCursor }
  nodes { id idt situacao acaoEsperada situacaoAlteradaEm unidadeRemetente { sigla } unidadeDestinataria { sigla } } } }`;
const C = `query C($orgao: ID) { painel(orgao: $orgao) {
  comoOrigem { total porSituacao { situacao quantidade } } comoDestino { total porSituacao { situacao quantidade } } } }`;
const N = '{ tramites(first: 0) { totalCount } }';

interface Pedido {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}
const pedido = (path: string, token: string, query: string, variables: Record<string, unknown>, aceita?: string): Pedido => ({
  method: 'POST',
  path,
  headers: {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    ...(aceita ? { 'accept-encoding': aceita } : {}),
  },
  body: JSON.stringify({ query, variables }),
});

async function enviar(base: URL, p: Pedido): Promise<any> {
  const res = await fetch(new URL(p.path, base), { method: p.method, headers: p.headers, body: p.body });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (!res.ok || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

async function cpuPorPedido(base: URL, pid: number, pedidos: Pedido[], amount: number): Promise<number> {
  const c0 = cpuMs(pid);
  const r = await autocannon({ url: base.origin, connections: CONCORRENCIA, amount, requests: pedidos, pipelining: 1 });
  const c = cpuMs(pid) - c0;
  if (r.non2xx + r.errors + r.timeouts > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return c / r.requests.total;
}

function gateway(env: Record<string, string>, execArgv: string[]): Promise<{ proc: ChildProcess; url: URL }> {
  const proc = fork(join(raiz, 'bench/gateway-child.ts'), [], {
    cwd: raiz,
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`gateway exited (${code}) before it was ready`)));
    proc.once('message', (m: { tipo: string; url: string }) => resolve({ proc, url: new URL(m.url) }));
  });
}

async function main(): Promise<void> {
  const limpeza: Limpeza = [];
  try {
    const { handle, url } = await bancoDeBench('cpu', 5, limpeza);
    await semearTramites(url, handle, TRAMITES, 5, limpeza);
    const [meio] = await handle.rows<{ idt: string }>('select idt::text from tramites order by id offset $1 limit 1', [
      Math.floor(TRAMITES / 2),
    ]);
    const orgaos = await handle.rows<{ repositorio: number; estrutura: number }>(
      `select o.repositorio_id::int as repositorio, o.numero_identificacao::int as estrutura
         from estruturas o where o.pai_id is null
        order by (select count(*) from tramites t where t.orgao_pendente_id = o.id) desc, o.id limit 10`,
    );
    const [maior] = await handle.rows<{ id: number; repositorio: number; estrutura: number }>(
      `select o.id::int as id, o.repositorio_id::int as repositorio, o.numero_identificacao::int as estrutura
         from estruturas o where o.pai_id is null
        order by (select count(*) from tramites t where t.remetente_orgao_id = o.id) desc, o.id limit 1`,
    );
    // A second gateway process with other Node options (BENCH_GATEWAY_EXEC_ARGV_B, e.g. an `--import` that swaps a
    // module) or other variables (BENCH_GATEWAY_ENV_B, e.g. `GRAPHQL_EXECUTOR=graphql-js`) is measured in the same
    // rounds, for a same-run comparison.
    const conjunto = (v: string | undefined) => (v ?? '').split(' ').filter(Boolean);
    const variantes = [
      { execArgv: conjunto(process.env.BENCH_GATEWAY_EXEC_ARGV), env: conjunto(process.env.BENCH_GATEWAY_ENV) },
      ...(process.env.BENCH_GATEWAY_EXEC_ARGV_B !== undefined || process.env.BENCH_GATEWAY_ENV_B !== undefined
        ? [{ execArgv: conjunto(process.env.BENCH_GATEWAY_EXEC_ARGV_B), env: conjunto(process.env.BENCH_GATEWAY_ENV_B) }]
        : []),
    ];
    const gws = [];
    for (const { execArgv, env } of variantes) {
      const variaveis = Object.fromEntries(env.map((par) => [par.slice(0, par.indexOf('=')), par.slice(par.indexOf('=') + 1)]));
      const gw = await gateway({ ...variaveis, BENCH_CHILD_DATABASE_URL: url, BENCH_CHILD_JWT_SECRET: SECRET }, execArgv);
      limpeza.push(
        () =>
          new Promise<void>((resolve) => {
            gw.proc.once('exit', () => resolve());
            gw.proc.send({ tipo: 'fechar' });
          }),
      );
      gws.push(gw);
    }
    const gw = gws[0]!;
    const path = gw.url.pathname;
    const admin = await mintToken(SECRET, { sub: 'bench.pen', orgao: null, roles: ['PEN_ADMIN'] });
    const spes = await Promise.all(
      orgaos.map((o, i) =>
        mintToken(SECRET, { sub: `bench.spe.${i}`, orgao: { repositorio: o.repositorio, estrutura: o.estrutura }, roles: ['SPE'] }),
      ),
    );
    const gestor = await mintToken(SECRET, {
      sub: 'bench.gestor',
      orgao: { repositorio: maior!.repositorio, estrutura: maior!.estrutura },
      roles: ['GESTOR_PROTOCOLO'],
    });
    const orgaoC = Buffer.from(`Orgao:${maior!.id}`).toString('base64');
    const w1 = pedido(path, admin, W1, {});
    const pagina = (await enviar(gw.url, w1)).tramites;
    const cargas: Record<string, Pedido[]> = {
      W1: [w1, pedido(path, admin, W1, { after: pagina.pageInfo.endCursor })],
      W2: [pedido(path, admin, W2, { idt: meio!.idt })],
      P: spes.map((t) => pedido(path, t, P, { first: 50 })),
      C: [pedido(path, admin, C, { orgao: orgaoC }, 'br, gzip')],
      C0: [pedido(path, admin, C, { orgao: orgaoC })],
      N: [pedido(path, gestor, N, {})],
      T: [pedido(path, admin, '{ __typename }', {})],
    };
    for (const nome of Object.keys(cargas)) if (!CARGAS.includes(nome)) delete cargas[nome];
    const pendentes = await Promise.all((cargas.P ?? []).map(async (p) => (await enviar(gw.url, p)).pendencias.nodes.length as number));
    if (cargas.W2 && (await enviar(gw.url, cargas.W2[0]!)).tramite.historico.length !== 5) throw new Error('W2: expected 5 events');
    console.log(`${TRAMITES} trâmites; W1 ${pagina.nodes.length} nodes; pendências per agency: ${pendentes.join(', ')}`);
    for (const g of gws) for (const carga of Object.values(cargas)) await cpuPorPedido(g.url, g.proc.pid!, carga, 300);
    const medidas = gws.map(() => Object.fromEntries(Object.keys(cargas).map((k) => [k, [] as number[]])));
    for (let r = 0; r < RODADAS; r++)
      for (const [nome, carga] of Object.entries(cargas))
        for (const [i, g] of gws.entries()) medidas[i]![nome]!.push(await cpuPorPedido(g.url, g.proc.pid!, carga, PEDIDOS));
    const mediana = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Other load on the machine only adds to a round (cache misses, migrations between cores): the lowest is printed too.
    console.log(`gateway CPU ms per request (${RODADAS} rounds × ${PEDIDOS}, concurrency ${CONCORRENCIA}): median, lowest, each`);
    for (const [i, porCarga] of medidas.entries()) {
      if (gws.length > 1)
        console.log(`${i === 0 ? 'A' : 'B'}: ${[...variantes[i]!.env, ...variantes[i]!.execArgv].join(' ') || '(no options)'}`);
      for (const [nome, xs] of Object.entries(porCarga))
        console.log(
          `  ${nome.padEnd(3)} ${mediana(xs).toFixed(2)}  ${Math.min(...xs).toFixed(2)}   (${xs.map((x) => x.toFixed(2)).join(' ')})`,
        );
    }
  } finally {
    await limpar(limpeza);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
