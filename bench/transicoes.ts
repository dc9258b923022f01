/**
 * Throughput and latency of trâmite transitions on a real PostgreSQL.
 *
 *   npx tsx bench/transicoes.ts
 *
 * Uses BENCH_DATABASE_URL (an admin URL: a fresh database is created on that server and dropped at the
 * end) or starts a throwaway server with test/support/postgres-server.sh and stops it at the end.
 * Seeds the demo data, then measures steps 1→2→3→4→5→6 (each client walks its own trâmites, created
 * beforehand and not timed):
 *   - through the service (executarPasso), 1 client and BENCH_CLIENTS (20) concurrent clients;
 *   - over real HTTP (startGateway, fetch with keep-alive), 1 and BENCH_CLIENTS clients;
 *   - the floor (bench/transicoes-piso.ts): the same work per step by hand over HTTP (node:http + postgres.js +
 *     node:crypto/jose, no GraphQL, no token): the same bytes uploaded in a multipart body parsed by the gateway's
 *     busboy, hashed and COPYed into the same tables, the recibo de envio signed with the same kind of key, the
 *     recibo de conclusão's signature verified, the same rows and events, each step one transaction, 1 and
 *     BENCH_CLIENTS clients;
 * against baselines measured in the same run: `select 1` round trips and a trivial `{ __typename }`
 * GraphQL request. Prints the HTTP mutation / floor ratio at 1 and BENCH_CLIENTS clients with MET/MISSED
 * against ≥ 0.7×, the CPU of this process per step, and the statements each side sends per step (counted on a
 * separate, untimed pass through a proxy that reads the wire protocol: bench/contador-pg.ts). Each measurement
 * is bounded: BENCH_TRANSITIONS (3000) transitions or BENCH_SECONDS (20) seconds, whichever comes first.
 * BENCH_CPU_PROF=<dir> writes a CPU profile (.cpuprofile) of this process during each of the BENCH_CLIENTS points of
 * the floor and the HTTP mutation. Not part of the test suite.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { mintToken } from '../src/identity/tokens.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { createLogger } from '../src/logger.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { PASSO_POR_ACAO } from '../src/tramites/regras.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { comporServicos } from '../src/http/servicos.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { createDatabase } from '../src/db/client.js';
import { bancoDeBench, envInt, parDeUnidades, passoPorHttp, type Limpeza, percentil } from './support.js';
import { contadorPg } from './contador-pg.js';
import { iniciarPiso, passoNoPiso } from './transicoes-piso.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, loadConfig()).tramites;

const CLIENTES = envInt('BENCH_CLIENTS', 20);
const ALVO = envInt('BENCH_TRANSITIONS', 3000);
const LIMITE_MS = envInt('BENCH_SECONDS', 20) * 1000;
const BASE_ALVO = 5000;
/** Goal 3 of issue 15: the HTTP mutation at ≥ 0.7× the floor. */
const ALVO_PISO = 0.7;
const BASE_LIMITE_MS = 5000;
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';
const CAMINHO: Array<PedidoDeConducao['acao']> = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

interface Medida {
  nome: string;
  clientes: number;
  ops: number;
  segundos: number;
  porSegundo: number;
  p50: number;
  p99: number;
  erros: number;
  /** CPU of this process (gateway, floor and the clients alike) per operation, ms. */
  cpuMs: number;
  nota: string;
}

/**
 * `clientes` loops run `op` until `alvo` operations in total or `limiteMs` elapsed (checked before each
 * operation). Each op is timed on its own. `op(cliente, i)` returns false when it failed.
 */
async function medir(
  nome: string,
  clientes: number,
  alvo: number,
  limiteMs: number,
  op: (cliente: number) => Promise<boolean>,
): Promise<Medida> {
  const latencias: number[] = [];
  let iniciadas = 0;
  let erros = 0;
  const inicio = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: clientes }, async (_, cliente) => {
      while (iniciadas < alvo && performance.now() - inicio < limiteMs) {
        iniciadas++;
        const t0 = performance.now();
        const ok = await op(cliente);
        latencias.push(performance.now() - t0);
        if (!ok) erros++;
      }
    }),
  );
  const segundos = (performance.now() - inicio) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencias.sort((a, b) => a - b);
  return {
    nome,
    clientes,
    ops: latencias.length,
    segundos,
    porSegundo: latencias.length / segundos,
    p50: percentil(latencias, 50),
    p99: percentil(latencias, 99),
    erros,
    cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, latencias.length),
    nota: '',
  };
}

/** `fn` under the V8 profiler when BENCH_CPU_PROF names a folder: `<folder>/<arquivo>.cpuprofile`. */
async function perfilado<T>(arquivo: string, fn: () => Promise<T>): Promise<T> {
  const pasta = process.env.BENCH_CPU_PROF;
  if (!pasta) return fn();
  const sessao = new Session();
  sessao.connect();
  await sessao.post('Profiler.enable');
  await sessao.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await sessao.post('Profiler.stop');
    mkdirSync(pasta, { recursive: true });
    writeFileSync(`${pasta}/${arquivo}.cpuprofile`, JSON.stringify(profile));
    sessao.disconnect();
  }
}

async function main(): Promise<void> {
  const limpeza: Limpeza = [];
  try {
    // ---- server and database -----------------------------------------------------------------
    const poolSize = CLIENTES + 5;
    const { handle, url, servidor, versao } = await bancoDeBench('bench', poolSize, limpeza);

    const par = await parDeUnidades(handle);
    const viewerRem: Viewer = { sujeito: 'bench.remetente', orgaoId: par.rem_orgao, papeis: new Set(['SPE']) };
    const viewerDest: Viewer = { sujeito: 'bench.destinatario', orgaoId: par.dest_orgao, papeis: new Set(['SPE']) };
    const viewerDe = (acao: PedidoDeConducao['acao']) => (PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? viewerRem : viewerDest);
    const raiz = async (id: number) =>
      (
        await handle.rows<{ repositorio: number; estrutura: number }>(
          'select repositorio_id::int as repositorio, numero_identificacao::int as estrutura from estruturas where id = $1',
          [id],
        )
      )[0]!;
    const tokenRem = await mintToken(SECRET, { sub: viewerRem.sujeito, orgao: await raiz(par.rem_orgao), roles: ['SPE'] });
    const tokenDest = await mintToken(SECRET, { sub: viewerDest.sujeito, orgao: await raiz(par.dest_orgao), roles: ['SPE'] });
    const tokenDe = (acao: PedidoDeConducao['acao']) => (PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? tokenRem : tokenDest);

    let gateway: Gateway | null = null;
    // Node's fetch (undici) keeps connections alive and reuses them by default.
    async function gql(query: string, variables: Record<string, unknown>, token: string): Promise<any> {
      const res = await fetch(gateway!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    }

    // ---- trâmites to walk ------------------------------------------------------------------------
    let processo = 0;
    /** `n` new trâmites at 1, created `CLIENTES` at a time through the service (not timed). */
    async function criar(n: number): Promise<number[]> {
      const ids: number[] = [];
      for (let feitos = 0; feitos < n; ) {
        const lote = Math.min(CLIENTES, n - feitos);
        const novos = await Promise.all(
          Array.from({ length: lote }, () =>
            servicoTramites(handle.db).iniciarTramite({
              viewer: viewerRem,
              agora: new Date(),
              ambiente: 'PRODUCAO',
              tipo: 'PROCESSO',
              numeroProcesso: `bench-${++processo}`,
              unidadeRemetenteId: par!.rem,
              unidadeDestinatariaId: par!.dest,
              ...CONTEUDO_DE_DEMO,
            }),
          ),
        );
        ids.push(...novos.map((r) => r.tramite.id));
        feitos += lote;
      }
      return ids;
    }

    /** Each client walks its own trâmites, one step at a time; `passo` performs one step. */
    async function caminhar(
      nome: string,
      clientes: number,
      alvo: number,
      passo: (acao: PedidoDeConducao['acao'], id: number) => Promise<boolean>,
    ) {
      // A shared queue: a client that finishes its trâmite takes the next one.
      const todos = await criar(Math.ceil(alvo / CAMINHO.length) + clientes);
      let proximo = 0;
      const posicao = Array.from({ length: clientes }, () => ({ id: undefined as number | undefined, passo: 0 }));
      const medida = await medir(nome, clientes, alvo, LIMITE_MS, async (c) => {
        const pos = posicao[c]!;
        if (pos.id === undefined) pos.id = todos[proximo++];
        if (pos.id === undefined) return false;
        const acao = CAMINHO[pos.passo]!;
        const ok = await passo(acao, pos.id);
        if (++pos.passo === CAMINHO.length) {
          pos.passo = 0;
          pos.id = undefined;
        }
        return ok;
      });
      // Sanity: the log holds exactly one status event per step taken (plus one per start); the component and
      // receipt events ride beside them.
      const [{ n }] = (await handle.rows<{ n: number }>(
        `select count(*)::int as n from tramite_eventos where tipo = 'SITUACAO' and tramite_id in (${todos.join(',')})`,
      )) as [{ n: number }];
      if (n !== todos.length + medida.ops - medida.erros)
        throw new Error(`${nome}: ${n} events for ${todos.length} starts + ${medida.ops - medida.erros} steps`);
      return medida;
    }

    const viaServico = async (acao: PedidoDeConducao['acao'], id: number) => {
      await conduzirPasso(handle.db, servicoTramites(handle.db), { acao, tramiteId: id, viewer: viewerDe(acao), agora: new Date() });
      return true;
    };
    let primeiroErroHttp: unknown = null;
    const viaHttp = async (acao: PedidoDeConducao['acao'], id: number) => {
      const { ok, body } = await passoPorHttp(gateway!.url, handle.db, acao, id, tokenDe(acao));
      if (!ok && primeiroErroHttp === null) primeiroErroHttp = body;
      return ok;
    };

    const medidas: Medida[] = [];
    const select1 = async () => (await handle.rows('select 1'), true);
    const typename = async () => (await gql('{ __typename }', {}, tokenRem))?.data?.__typename === 'Query';

    // ---- 1. the service alone (no gateway running) ----------------------------------------------------
    // Warm-up first (not reported): JIT, the pool's connections and their cached plans.
    await caminhar('warm-up service', CLIENTES, 400, viaServico);
    await medir('warm-up select 1', CLIENTES, 500, 2000, select1);
    const base1 = await medir('baseline: select 1 (postgres.js)', 1, BASE_ALVO, BASE_LIMITE_MS, select1);
    const baseN = await medir('baseline: select 1 (postgres.js)', CLIENTES, BASE_ALVO, BASE_LIMITE_MS, select1);
    const s1 = await caminhar('transitions: service (executarPasso)', 1, ALVO, viaServico);
    const sN = await caminhar('transitions: service (executarPasso)', CLIENTES, ALVO, viaServico);

    // ---- 2. over HTTP, through a started gateway (its live feeds LISTEN and catch up on each commit) ---
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(poolSize),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    });
    const iniciado = await startGateway({ config, database: handle, logger: createLogger('silent') });
    gateway = iniciado;
    limpeza.push(() => iniciado.close());
    await caminhar('warm-up http', CLIENTES, 400, viaHttp);
    const http1 = await medir('baseline: HTTP { __typename }', 1, BASE_ALVO, BASE_LIMITE_MS, typename);
    const httpN = await medir('baseline: HTTP { __typename }', CLIENTES, BASE_ALVO, BASE_LIMITE_MS, typename);
    const g1 = await caminhar('transitions: service, gateway running', 1, ALVO, viaServico);

    // ---- 3. the floor, in the same process beside the running gateway (whose feeds read its events too) ---
    const piso = await iniciarPiso(url, poolSize);
    limpeza.push(() => piso.close());
    const orgaoDe = (acao: PedidoDeConducao['acao']) => viewerDe(acao).orgaoId!;
    const viaPiso = async (acao: PedidoDeConducao['acao'], id: number) => {
      const { ok, body } = await passoNoPiso(piso.url, handle.db, acao, id, orgaoDe(acao));
      if (!ok && primeiroErroHttp === null) primeiroErroHttp = body;
      return ok;
    };
    await caminhar('warm-up floor', CLIENTES, 400, viaPiso);
    // Interleaved: the floor right before the gateway at each concurrency, so both see the same machine.
    const p1 = await caminhar('floor: the same step by hand (HTTP)', 1, ALVO, viaPiso);
    const h1 = await caminhar('transitions: HTTP mutation', 1, ALVO, viaHttp);
    const pN = await perfilado('piso', () => caminhar('floor: the same step by hand (HTTP)', CLIENTES, ALVO, viaPiso));
    const hN = await perfilado('gateway', () => caminhar('transitions: HTTP mutation', CLIENTES, ALVO, viaHttp));

    baseN.nota = `${(baseN.porSegundo / base1.porSegundo).toFixed(2)}x the 1-client rate`;
    s1.nota = `1 transition = ${(base1.porSegundo / s1.porSegundo).toFixed(1)} select-1 round trips`;
    sN.nota = `${(sN.porSegundo / s1.porSegundo).toFixed(2)}x the 1-client rate`;
    httpN.nota = `${(httpN.porSegundo / http1.porSegundo).toFixed(2)}x the 1-client rate`;
    g1.nota = `${(g1.porSegundo / s1.porSegundo).toFixed(2)}x the service alone (1 client)`;
    h1.nota = `${(h1.porSegundo / g1.porSegundo).toFixed(2)}x the service with gateway; +${(h1.p50 - g1.p50).toFixed(2)} ms p50`;
    hN.nota = `${(hN.porSegundo / h1.porSegundo).toFixed(2)}x the 1-client rate`;
    pN.nota = `${(pN.porSegundo / p1.porSegundo).toFixed(2)}x the 1-client rate`;
    medidas.push(base1, baseN, s1, sN, http1, httpN, g1, p1, h1, pN, hN);
    const razoes = [
      { clientes: 1, gateway: h1, piso: p1 },
      { clientes: CLIENTES, gateway: hN, piso: pN },
    ];

    // ---- 4. statements per step, both sides, on a separate pass through a counting proxy (not timed) ----------
    // A second gateway and a second floor, each with a pool of one connection through the proxy; each walks two
    // trâmites and the second walk is counted (the first prepares every statement on that connection, as a warm pool
    // has: an unprepared statement is described first, which stops postgres.js from pipelining behind it).
    // One proxy per side, so neither side's background reads land in the other's count.
    const contador = await contadorPg(url);
    limpeza.push(() => contador.close());
    const contadorPiso = await contadorPg(url);
    limpeza.push(() => contadorPiso.close());
    const bancoContado = await createDatabase({ kind: 'postgres', url: contador.url, poolSize: 1 });
    limpeza.push(() => bancoContado.close());
    const gatewayContado = await startGateway({
      config: loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: contador.url,
        JWT_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        AUTO_CANCEL_ENABLED: 'false',
        STUCK_ALERT_ENABLED: 'false',
      }),
      database: bancoContado,
      logger: createLogger('silent'),
    });
    limpeza.push(() => gatewayContado.close());
    const pisoContado = await iniciarPiso(contadorPiso.url, 1);
    limpeza.push(() => pisoContado.close());
    // The live-event bus of the counted gateway reads each commit (its own and the floor's): not the step's statements.
    const doBarramento = (texto: string) => /log_marca|from "tramite_eventos" inner join "tramites"/.test(texto);
    const contagens = new Map<string, { gateway: number; piso: number; idasGateway: number; idasPiso: number }>();
    const lados = [
      {
        lado: 'gateway' as const,
        contador,
        passo: async (acao: PedidoDeConducao['acao'], id: number) =>
          (await passoPorHttp(gatewayContado.url, handle.db, acao, id, tokenDe(acao))).ok,
      },
      {
        lado: 'piso' as const,
        contador: contadorPiso,
        passo: async (acao: PedidoDeConducao['acao'], id: number) =>
          (await passoNoPiso(pisoContado.url, handle.db, acao, id, orgaoDe(acao))).ok,
      },
    ];
    for (const { lado, contador, passo } of lados) {
      for (const [volta, id] of (await criar(2)).entries()) {
        for (const acao of CAMINHO) {
          await new Promise((r) => setTimeout(r, 100));
          contador.zerar();
          if (!(await passo(acao, id))) throw new Error(`counting pass: ${lado} ${acao} failed`);
          await new Promise((r) => setTimeout(r, 100));
          if (volta === 0) continue;
          const instrucoes = contador.instrucoes.filter((i) => !doBarramento(i.texto));
          const c = contagens.get(acao) ?? { gateway: 0, piso: 0, idasGateway: 0, idasPiso: 0 };
          c[lado] = instrucoes.length;
          c[lado === 'gateway' ? 'idasGateway' : 'idasPiso'] = new Set(instrucoes.map((i) => i.lote)).size;
          contagens.set(acao, c);
          if (process.env.BENCH_DEBUG)
            for (const i of instrucoes) console.log(`  ${lado} ${acao} [${i.lote}]: ${i.texto.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
    }

    // ---- report ------------------------------------------------------------------------------------------
    const cab = ['measurement', 'clients', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'CPU ms/op', 'errors', 'compared with'];
    const linhas = medidas.map((m) => [
      m.nome,
      String(m.clientes),
      String(m.ops),
      m.segundos.toFixed(2),
      m.porSegundo.toFixed(0),
      m.p50.toFixed(2),
      m.p99.toFixed(2),
      m.cpuMs.toFixed(2),
      String(m.erros),
      m.nota,
    ]);
    const larguras = cab.map((c, i) => Math.max(c.length, ...linhas.map((l) => l[i]!.length)));
    const fmt = (l: string[]) =>
      `| ${l.map((x, i) => (i === 0 || i === l.length - 1 ? x.padEnd(larguras[i]!) : x.padStart(larguras[i]!))).join(' | ')} |`;
    console.log('');
    console.log(`Trâmite transitions (steps 1→2→3→4→5→6), PostgreSQL ${versao} on ${servidor}`);
    console.log(
      `Node ${process.version}, ${cpus().length} CPU(s), pool ${poolSize}; bounds: ${ALVO} transitions or ${LIMITE_MS / 1000} s per measurement; each transition = one transaction (one upload of the demo component at 1 → 2)`,
    );
    console.log(fmt(cab));
    console.log(`|${larguras.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of linhas) console.log(fmt(l));
    console.log('');
    console.log(
      'Statements per step (BEGIN and COMMIT included; the live-event bus reading the commits left out), and in how many writes they went (pipelined statements share one):',
    );
    const total = { gateway: 0, piso: 0, idasGateway: 0, idasPiso: 0 };
    const linha = (nome: string, c: typeof total) =>
      console.log(
        `  ${nome.padEnd(30)} gateway ${String(c.gateway).padStart(3)} in ${String(c.idasGateway).padStart(3)}   floor ${String(c.piso).padStart(3)} in ${String(c.idasPiso).padStart(3)}`,
      );
    for (const [acao, c] of contagens) {
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
      linha(acao, c);
    }
    linha('whole walk 1 → 6', total);
    console.log(
      `CPU of this process per step (gateway or floor, plus the same client work on both): gateway ${h1.cpuMs.toFixed(2)} / ${hN.cpuMs.toFixed(2)} ms, floor ${p1.cpuMs.toFixed(2)} / ${pN.cpuMs.toFixed(2)} ms (1 / ${CLIENTES} clients)`,
    );
    console.log('');
    console.log(`Goal: HTTP mutation ≥ ${ALVO_PISO}× the floor (same run)`);
    for (const r of razoes) {
      const razao = r.gateway.porSegundo / r.piso.porSegundo;
      console.log(
        `  ${String(r.clientes).padStart(2)} client(s): gateway ${r.gateway.porSegundo.toFixed(0)}/s, floor ${r.piso.porSegundo.toFixed(0)}/s, ratio ${razao.toFixed(2)}  ${razao >= ALVO_PISO ? 'MET' : 'MISSED'}`,
      );
    }
    console.log('');
    const errosTotais = medidas.reduce((a, m) => a + m.erros, 0);
    if (errosTotais > 0) {
      console.log(`ERRORS: ${errosTotais}; first HTTP error body: ${JSON.stringify(primeiroErroHttp)}`);
      process.exitCode = 1;
    } else {
      console.log('check: no errors; every walked trâmite has exactly one event per step taken.');
    }
  } finally {
    for (const f of limpeza.reverse()) {
      try {
        await f();
      } catch (error) {
        console.error('cleanup:', (error as Error).message);
      }
    }
  }
}

await main();
