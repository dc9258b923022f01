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
 *   - the floor: the same step by hand over HTTP (node:http + postgres.js, no auth, no GraphQL: lock the
 *     row, check the status, update, insert the event, pg_notify, commit), 1 and BENCH_CLIENTS clients;
 * against baselines measured in the same run: `select 1` round trips and a trivial `{ __typename }`
 * GraphQL request. Prints the HTTP mutation / floor ratio at 1 and BENCH_CLIENTS clients with MET/MISSED
 * against ≥ 0.7×. Each measurement is bounded: BENCH_TRANSITIONS (3000) transitions or BENCH_SECONDS
 * (20) seconds, whichever comes first. Not part of the test suite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import postgres from 'postgres';
import { mintToken } from '../src/identity/tokens.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { createLogger } from '../src/logger.js';
import { startGateway, type Gateway } from '../src/http/gateway.js';
import { PASSO_POR_ACAO } from '../src/tramites/regras.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { comporServicos } from '../src/http/servicos.js';
import { CONTEUDO_DE_DEMO, conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { bancoDeBench, parDeUnidades, passoPorHttp, type Limpeza } from './support.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, loadConfig()).tramites;

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
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

/**
 * The floor: one step by hand, the transaction the gateway runs stripped of everything but the SQL a
 * step needs (lock the row, check, update, insert the event, pg_notify), behind a bare node:http
 * server answering JSON. No authentication, no GraphQL, no validation.
 */
async function iniciarPiso(url: string, max: number): Promise<{ url: string; close: () => Promise<void> }> {
  const sql = postgres(url, { max, onnotice: () => {} });
  const server: Server = createServer(async (req, res) => {
    let corpo = '';
    for await (const parte of req) corpo += parte;
    const { tramite, acao } = JSON.parse(corpo) as { tramite: number; acao: PedidoDeConducao['acao'] };
    const passo = PASSO_POR_ACAO[acao];
    try {
      const versao = await sql.begin(async (tx) => {
        const [atual] = await tx<{ situacao: number }[]>`select situacao from tramites where id = ${tramite} for update`;
        if (!atual || !passo.de.includes(atual.situacao as never)) throw new Error(`cannot ${acao} from ${atual?.situacao}`);
        const [novo] = await tx<{ versao: number }[]>`update tramites set situacao = ${passo.para}, versao = versao + 1,
            atualizado_em = now(), situacao_alterada_em = now() where id = ${tramite} returning versao`;
        const [evento] = await tx<
          { seq: string }[]
        >`insert into tramite_eventos (tramite_id, de_situacao, para_situacao, ator_sujeito, ator_lado, ocorrido_em)
            values (${tramite}, ${atual.situacao}, ${passo.para}, 'bench.piso', ${passo.lado}, now()) returning seq`;
        await tx`select pg_notify('tramite_eventos', ${evento!.seq})`;
        return novo!.versao;
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { r: { __typename: 'TransicaoRealizada', tramite: { versao } } } }));
    } catch (error) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await sql.end();
    },
  };
}

interface Medida {
  nome: string;
  clientes: number;
  ops: number;
  segundos: number;
  porSegundo: number;
  p50: number;
  p99: number;
  erros: number;
  nota: string;
}

function percentil(ordenados: number[], p: number): number {
  if (ordenados.length === 0) return Number.NaN;
  return ordenados[Math.min(ordenados.length - 1, Math.ceil((p / 100) * ordenados.length) - 1)]!;
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
    nota: '',
  };
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
      // Sanity: the log holds exactly one event per step taken (plus one per start).
      const [{ n }] = (await handle.rows<{ n: number }>(
        `select count(*)::int as n from tramite_eventos where tramite_id in (${todos.join(',')})`,
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
    const viaPiso = async (acao: PedidoDeConducao['acao'], id: number) => {
      const res = await fetch(piso.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tramite: id, acao }),
      });
      const body = (await res.json()) as any;
      const ok = body?.data?.r?.__typename === 'TransicaoRealizada';
      if (!ok && primeiroErroHttp === null) primeiroErroHttp = body;
      return ok;
    };
    await caminhar('warm-up floor', CLIENTES, 400, viaPiso);
    // Interleaved: the floor right before the gateway at each concurrency, so both see the same machine.
    const p1 = await caminhar('floor: the same step by hand (HTTP)', 1, ALVO, viaPiso);
    const h1 = await caminhar('transitions: HTTP mutation', 1, ALVO, viaHttp);
    const pN = await caminhar('floor: the same step by hand (HTTP)', CLIENTES, ALVO, viaPiso);
    const hN = await caminhar('transitions: HTTP mutation', CLIENTES, ALVO, viaHttp);

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

    // ---- report ------------------------------------------------------------------------------------------
    const cab = ['measurement', 'clients', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'compared with'];
    const linhas = medidas.map((m) => [
      m.nome,
      String(m.clientes),
      String(m.ops),
      m.segundos.toFixed(2),
      m.porSegundo.toFixed(0),
      m.p50.toFixed(2),
      m.p99.toFixed(2),
      String(m.erros),
      m.nota,
    ]);
    const larguras = cab.map((c, i) => Math.max(c.length, ...linhas.map((l) => l[i]!.length)));
    const fmt = (l: string[]) =>
      `| ${l.map((x, i) => (i === 0 || i === l.length - 1 ? x.padEnd(larguras[i]!) : x.padStart(larguras[i]!))).join(' | ')} |`;
    console.log('');
    console.log(`Trâmite transitions (steps 1→2→3→4→5→6), PostgreSQL ${versao} on ${servidor}`);
    console.log(
      `Node ${process.version}, ${cpus().length} CPU(s), pool ${poolSize}; bounds: ${ALVO} transitions or ${LIMITE_MS / 1000} s per measurement; each transition = one transaction (read, CAS update, event insert, NOTIFY; no lock orders the log)`,
    );
    console.log(fmt(cab));
    console.log(`|${larguras.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of linhas) console.log(fmt(l));
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
