/**
 * `pendencias` and the structure search (`estruturas(busca:)`) on a large database: p50/p99 at concurrency 10 through
 * the gateway (HTTP, a gateway process of its own: bench/gateway-child.ts) against the very SQL statements the gateway
 * sends, run directly from this process, prepared as the gateway sends them (ratio printed), and their EXPLAIN.
 *
 *   npx tsx bench/pendencias.ts
 *
 * Uses BENCH_DATABASE_URL (an admin URL: a fresh database is created there and dropped at the end) or a throwaway
 * server (test/support/postgres-server.sh), stopped at the end. Seeds the demo data, then BENCH_UNIDADES (100,000)
 * units and BENCH_TRAMITES (1,000,000) trâmites with generate_series (one statement each). Each measurement is
 * bounded: BENCH_REQUESTS (3,000) requests or BENCH_SECONDS (20) seconds, whichever comes first. Not part of the suite.
 * The units get realistic accented names ("Coordenação de Licitações 123"), mixed operation modes and 2% inactive.
 * BENCH_CPU_PROF=<dir> writes the gateway process's CPU profile of each gateway phase there.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import postgres from 'postgres';
import { mintToken } from '../src/identity/tokens.js';
import { createDatabase } from '../src/db/client.js';
import { configurarUnidadesPorSql } from '../test/support/configuracao.js';
import {
  bancoDeBench,
  cpuMs,
  envInt,
  fecharFilho,
  gatewayDeBench,
  iniciarFilho,
  type Limpeza,
  limpar,
  postarGraphql,
  percentil,
} from './support.js';

const UNIDADES = envInt('BENCH_UNIDADES', 100_000);
const TRAMITES = envInt('BENCH_TRAMITES', 1_000_000);
const PEDIDOS = envInt('BENCH_REQUESTS', 3000);
const LIMITE_MS = envInt('BENCH_SECONDS', 20) * 1000;
const CONCORRENCIA = 10;
const PAGINA = 50;
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';
const PRIMEIRO_NUMERO = 50_000_000;
const META_P99_MS = 20;
const PERFIS = process.env.BENCH_CPU_PROF?.trim() || null;
/** The bench's database name, for the PostgreSQL backends' CPU (`cpuDoBanco`). */
let nomeDoBanco = '';

const QUERY = `query($first: Int!) { pendencias(first: $first) {
  pageInfo { hasNextPage endCursor }
  nodes { id idt situacao acaoEsperada situacaoAlteradaEm unidadeRemetente { sigla } unidadeDestinataria { sigla } }
} }`;

/**
 * CPU time (user + system, ms) of the PostgreSQL backends serving `banco` on this machine, from /proc (clock ticks of
 * 10 ms): each backend's command line names its database. Zero when the server is elsewhere (BENCH_DATABASE_URL).
 */
function cpuDoBanco(banco: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${banco} `)) continue;
      const campos = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(campos[11]) + Number(campos[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}

/** The clients' kept-alive sockets; without BENCH_ACCEPT_ENCODING no compression is asked (`postarGraphql`). */
const agente = new Agent({ keepAlive: true, maxSockets: CONCORRENCIA });
const ACEITA = process.env.BENCH_ACCEPT_ENCODING?.trim() || null;

/** The measured gateway's process: its CPU is read from /proc, and with BENCH_CPU_PROF it is profiled per phase. */
let gatewayMedido: ChildProcess | null = null;
let pedidosAoFilho = 0;
/** Asks the gateway's process something over IPC (bench/gateway-child.ts's protocol) and waits for its answer. */
function aoFilho(mensagem: Record<string, unknown>): Promise<void> {
  const id = ++pedidosAoFilho;
  return new Promise((resolve) => {
    const resposta = (m: { id?: number }) => {
      if (m.id !== id) return;
      gatewayMedido!.off('message', resposta);
      resolve();
    };
    gatewayMedido!.on('message', resposta);
    gatewayMedido!.send({ ...mensagem, id });
  });
}

interface Medida {
  n: number;
  p50: number;
  p99: number;
  porSegundo: number;
  /** This process's CPU per request: the client's (node:http, or postgres.js for the direct SQL). */
  cpuMs: number;
  /** The gateway process's CPU per request (0 for the direct SQL). */
  cpuGatewayMs: number;
  cpuBancoMs: number;
}

/**
 * `CONCORRENCIA` loops calling `op(cliente)` until `PEDIDOS` calls or `LIMITE_MS`; latencies in ms. `perfil` names the
 * gateway phase's CPU profile (BENCH_CPU_PROF).
 */
async function medir(op: (cliente: number) => Promise<void>, gateway: { perfil: string } | null = null): Promise<Medida> {
  const latencias: number[] = [];
  const fim = Date.now() + LIMITE_MS;
  let feitos = 0;
  if (gateway) {
    // Fresh sockets, opened by one warm round: a kept-alive socket idle through the phases before (EXPLAIN, the direct
    // side) can be closed by the gateway's keep-alive timeout just as a request goes out on it ("socket hang up").
    agente.destroy();
    await Promise.all(Array.from({ length: CONCORRENCIA }, (_, c) => op(c)));
  }
  if (gateway && PERFIS) await aoFilho({ tipo: 'perfil', arquivo: null });
  const inicio = performance.now();
  const cpu0 = process.cpuUsage();
  const cpuGateway0 = gateway ? cpuMs(gatewayMedido!.pid) : 0;
  const cpuBanco0 = cpuDoBanco(nomeDoBanco);
  await Promise.all(
    Array.from({ length: CONCORRENCIA }, async (_, c) => {
      while (feitos < PEDIDOS && Date.now() < fim) {
        feitos += 1;
        const t0 = performance.now();
        await op(c);
        latencias.push(performance.now() - t0);
      }
    }),
  );
  const segundos = (performance.now() - inicio) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuGateway = gateway ? cpuMs(gatewayMedido!.pid) - cpuGateway0 : 0;
  const cpuBanco = cpuDoBanco(nomeDoBanco) - cpuBanco0;
  if (gateway && PERFIS) await aoFilho({ tipo: 'perfil', arquivo: join(PERFIS, `${gateway.perfil}.cpuprofile`) });
  latencias.sort((a, b) => a - b);
  return {
    n: latencias.length,
    p50: percentil(latencias, 50),
    p99: percentil(latencias, 99),
    porSegundo: latencias.length / segundos,
    cpuMs: (cpu.user + cpu.system) / 1000 / latencias.length,
    cpuGatewayMs: cpuGateway / latencias.length,
    cpuBancoMs: cpuBanco / latencias.length,
  };
}

async function main(): Promise<void> {
  const limpeza: Limpeza = [];
  try {
    const { handle, url, servidor, versao } = await bancoDeBench('pendencias', CONCORRENCIA + 5, limpeza);
    console.log(`PostgreSQL ${versao} on ${servidor}`);
    nomeDoBanco = new URL(url).pathname.slice(1);

    // The seeding statements on a connection of their own, not bounded by a statement timeout.
    const semeadura = postgres(url, { max: 1, onnotice: () => {}, connection: { statement_timeout: 0 } });
    limpeza.push(() => semeadura.end({ timeout: 5 }));
    const semear = (texto: string, params: unknown[] = []) => semeadura.unsafe(texto, params as never[]) as Promise<never[]>;
    let t0 = performance.now();
    await semear(
      `insert into estruturas (repositorio_id, numero_identificacao, sigla, nome, pai_id, orgao_id)
       select r.repositorio_id, $1::int + g, 'BU' || g,
              (array['Secretaria', 'Coordenação', 'Divisão', 'Serviço', 'Núcleo', 'Diretoria', 'Gerência', 'Seção'])[1 + g % 8]
                || ' de ' || (array['Gestão de Pessoas', 'Administração', 'Saúde', 'Educação', 'Orçamento e Finanças',
                                    'Tecnologia da Informação', 'Licitações e Contratos', 'Patrimônio', 'Protocolo',
                                    'Comunicação Social', 'Auditoria Interna', 'Relações Institucionais', 'Logística'])[1 + (g / 8) % 13]
                || ' ' || g,
              r.id, r.id
         from generate_series(1, $2::int) g
         join (select row_number() over (order by id) - 1 as k, id, repositorio_id, count(*) over () as n
                 from estruturas where pai_id is null) r on r.k = g % r.n`,
      [PRIMEIRO_NUMERO, UNIDADES],
    );
    // Four in five send, six in seven receive.
    await configurarUnidadesPorSql(
      semear,
      {
        onde: 'u.numero_identificacao > $1::int',
        envio: '(u.numero_identificacao - $1::int) % 5 <> 0',
        recebimento: '(u.numero_identificacao - $1::int) % 7 <> 0',
      },
      [PRIMEIRO_NUMERO],
    );
    // The units' statistics before the trâmites' insert joins them: left to autovacuum, the insert took minutes at times
    // (once the 300 s bound), most likely planned on the demo's ~150 units' statistics.
    await semear('analyze estruturas');
    console.log(`seeded ${UNIDADES} units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    t0 = performance.now();
    // Mostly concluded (6), the rest across the other statuses, one trâmite in progress per NRE (rule 0044).
    await semear(
      `with bu as (select row_number() over (order by id) - 1 as k, id, orgao_id from estruturas where numero_identificacao > $1::int)
       insert into tramites (idt, nre, numero_processo, tipo, remetente_unidade_id, remetente_orgao_id, destinatario_unidade_id,
                             destinatario_orgao_id, situacao, versao, criado_em, atualizado_em, situacao_alterada_em, ambiente)
       select 9000000000 + g, lpad((8000000000 + g)::text, 16, '0'), 'BENCH-' || g, 'PROCESSO', r.id, r.orgao_id, d.id, d.orgao_id,
              case when g % 100 < 88 then 6 else (array[1, 2, 3, 4, 5, 8, 7, 9, 10, 1, 2, 5])[1 + g % 12] end,
              1, s.em - interval '1 hour', s.em, s.em, 'PRODUCAO'
         from generate_series(1, $2::int) g
         cross join lateral (select now() - ((g::bigint * 7919) % 5184000) * interval '1 second' as em) s
         join bu r on r.k = g % $3::int
         join bu d on d.k = (g * 7 + 13) % $3::int`,
      [PRIMEIRO_NUMERO, TRAMITES, UNIDADES],
    );
    await handle.rows('update estruturas set ativo = false where numero_identificacao > $1::int and numero_identificacao % 50 = 0', [
      PRIMEIRO_NUMERO,
    ]);
    await handle.rows('analyze tramites');
    await handle.rows('analyze estruturas');
    // Vacuumed as autovacuum would have left them: the words' index-only scans need the visibility map, which a vacuum
    // sets only for commits whose WAL is flushed (the throwaway server commits asynchronously): a checkpoint first.
    await handle.rows('checkpoint');
    await handle.rows('vacuum (analyze) estrutura_palavras');
    await handle.rows('vacuum (analyze) estruturas');
    await handle.rows('vacuum (analyze) tramites');
    const [vm] = await handle.rows<{ paginas: number; visiveis: number }>(
      "select relpages as paginas, relallvisible as visiveis from pg_class where relname = 'estrutura_palavras'",
    );
    console.log(`estrutura_palavras: ${vm!.paginas} pages, ${vm!.visiveis} all-visible`);
    console.log(`seeded ${TRAMITES} trâmites in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The ten agencies with the most pending work, each played by an SPE token.
    const orgaos = await handle.rows<{ id: number; repositorio: number; estrutura: number; pendentes: number }>(
      `select o.id::int as id, o.repositorio_id::int as repositorio, o.numero_identificacao::int as estrutura,
              (select count(*)::int from tramites t where t.ambiente = 'PRODUCAO' and t.orgao_pendente_id = o.id) as pendentes
         from estruturas o where o.pai_id is null order by pendentes desc, id limit $1`,
      [CONCORRENCIA],
    );
    const tokens = await Promise.all(
      orgaos.map((o) =>
        mintToken(SECRET, { sub: `bench.spe.${o.id}`, orgao: { repositorio: o.repositorio, estrutura: o.estrutura }, roles: ['SPE'] }),
      ),
    );
    console.log(`pending per agency: ${orgaos.map((o) => o.pendentes).join(', ')}`);

    // The gateway on its own pool, with a hook that keeps the statement each agency's first page sends.
    const capturadas = new Map<string, { sql: string; params: unknown[] }>();
    let capturando: string | null = null;
    // A search sends its page and, when totalCount is asked, its capped count: both are replayed directly, in order.
    const buscasCapturadas = new Map<string, Array<{ sql: string; params: unknown[] }>>();
    let capturandoBusca: string | null = null;
    const banco = await createDatabase(
      { kind: 'postgres', url, poolSize: CONCORRENCIA + 2 },
      {
        onQuery: (sql, params) => {
          if (capturando && sql.includes('"tramites"')) capturadas.set(capturando, { sql, params });
          if (capturandoBusca && sql.includes('"estruturas"'))
            buscasCapturadas.set(capturandoBusca, [...(buscasCapturadas.get(capturandoBusca) ?? []), { sql, params }]);
        },
      },
    );
    limpeza.push(() => banco.close());
    limpeza.push(async () => agente.destroy());
    // The direct side sends each captured statement as the gateway does: prepared on the same pool (client.ts), so it
    // is planned with its values but parsed once per connection, one round trip. `banco.rows` would send it unprepared:
    // parsed, described and waited for on every run (two round trips), more work than the gateway's statement.
    const cliente = (banco.db as unknown as { $client: { unsafe: (sql: string, params: unknown[]) => Promise<unknown> } }).$client;
    const direto = (sql: string, params: unknown[]) => cliente.unsafe(sql, params);
    // This in-process gateway only captures the statements (its pool's hook); the one measured runs in a process of its
    // own, as a deployed gateway does, so this process's clients do not queue on its event loop (and graphql-js runs in
    // production mode there, as in every forked bench server).
    const capturador = await gatewayDeBench(url, banco, SECRET, limpeza);
    const filho = await iniciarFilho('bench/gateway-child.ts', { BENCH_CHILD_DATABASE_URL: url, BENCH_CHILD_JWT_SECRET: SECRET });
    limpeza.push(() => fecharFilho(filho.proc));
    gatewayMedido = filho.proc;

    async function pedir(token: string, alvo: string | URL = filho.url) {
      const body = (await postarGraphql(agente, alvo, token, { query: QUERY, variables: { first: PAGINA } }, ACEITA)) as {
        data?: { pendencias: { nodes: unknown[] } };
        errors?: unknown;
      };
      if (body.errors || !body.data) throw new Error(`pendencias failed: ${JSON.stringify(body.errors)}`);
      return body.data.pendencias.nodes.length;
    }
    for (const [i, token] of tokens.entries()) {
      capturando = String(i);
      const n = await pedir(token, capturador.url); // the statement to replay directly
      capturando = null;
      await pedir(token); // warm-up of the measured gateway
      if (n !== Math.min(PAGINA, orgaos[i]!.pendentes))
        throw new Error(`agency ${orgaos[i]!.id}: ${n} items, expected ${Math.min(PAGINA, orgaos[i]!.pendentes)}`);
    }
    const paginas = [...capturadas.values()];
    if (paginas.length !== tokens.length) throw new Error(`captured ${paginas.length} statements for ${tokens.length} agencies`);

    const [plano] = paginas;
    const explain = await handle.rows<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${plano!.sql}`, plano!.params);
    console.log(`\nEXPLAIN ANALYZE of one page (agency ${orgaos[0]!.id}):\n${explain.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);
    // The page is a prepared statement (client.ts) that PostgreSQL plans with its values five times, then reuses with
    // its generic plan when that costs no more (plan_cache_mode auto): that plan, and the plan counts after every
    // agency's page, on the seeding connection (a session of its own).
    const literal = (p: unknown) => (typeof p === 'number' ? String(p) : `'${String(p).replace(/'/g, "''")}'`);
    const executar = (params: unknown[]) => `execute pagina(${params.map(literal).join(', ')})`;
    await semear(`prepare pagina as ${plano!.sql}`);
    for (const _ of [1, 2]) for (const p of paginas) await semear(executar(p.params));
    const [contagem] = await semear(
      "select generic_plans::int as genericos, custom_plans::int as especificos from pg_prepared_statements where name = 'pagina'",
    );
    await semear('set plan_cache_mode = force_generic_plan');
    const generico = (await semear(`explain (analyze, buffers, costs off) ${executar(plano!.params)}`)) as Array<{ 'QUERY PLAN': string }>;
    await semear('reset plan_cache_mode');
    await semear('deallocate pagina');
    const { genericos, especificos } = contagem as unknown as { genericos: number; especificos: number };
    console.log(
      `the same page prepared, ${2 * paginas.length} executions (every agency's, twice): ${genericos} generic plans, ${especificos} custom`,
    );
    console.log(`its generic plan (EXPLAIN ANALYZE EXECUTE):\n${generico.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);

    const viaSql = await medir(async (c) => {
      const { sql, params } = paginas[c % paginas.length]!;
      await direto(sql, params);
    });
    const viaGateway = await medir(
      async (c) => {
        await pedir(tokens[c % tokens.length]!);
      },
      { perfil: 'pendencias' },
    );
    const linha = (nome: string, m: Medida) =>
      `${nome.padEnd(28)} ${String(m.n).padStart(6)} req  p50 ${m.p50.toFixed(2).padStart(7)} ms  p99 ${m.p99.toFixed(2).padStart(7)} ms  ${m.porSegundo.toFixed(0).padStart(6)}/s  CPU ms/req: client ${m.cpuMs.toFixed(2)} + gateway ${m.cpuGatewayMs.toFixed(2)} + PostgreSQL ${m.cpuBancoMs.toFixed(2)}`;
    const veredito = (nome: string, m: Medida, base: Medida) =>
      `${nome}: gateway p99 ${m.p99.toFixed(1)} ms (goal < ${META_P99_MS}): ${m.p99 < META_P99_MS ? 'MET' : 'MISSED'}; ratio gateway / SQL p50 ${(m.p50 / base.p50).toFixed(2)}x, p99 ${(m.p99 / base.p99).toFixed(2)}x`;
    console.log(`pendencias(first: ${PAGINA}), concurrency ${CONCORRENCIA}, ${TRAMITES} trâmites, ${UNIDADES} units`);
    console.log(linha('same SQL, direct', viaSql));
    console.log(linha('through the gateway (HTTP)', viaGateway));
    console.log(veredito('pendencias', viaGateway, viaSql));

    // Structure search: accents and case varied on purpose, words in any order, a sigla, filters.
    const BUSCAS: Array<Record<string, unknown>> = [
      { busca: 'saúde' },
      { busca: 'EDUCACAO', permiteRecebimento: true },
      { busca: 'protocolo coordenacao' },
      { busca: 'Divisão de Licitações', ativo: true },
      { busca: 'bu4242' },
      { busca: 'patrimonio nucleo' },
      { busca: 'tecnologia informação', permiteEnvio: true },
      { busca: 'auditória' },
      { busca: 'GERENCIA logistica' },
      { busca: 'divisao relacoes 1234' },
      { busca: 'bu' },
    ];
    const QUERY_BUSCA = `query($busca: String, $permiteEnvio: Boolean, $permiteRecebimento: Boolean, $ativo: Boolean) {
      estruturas(busca: $busca, first: 20, permiteEnvio: $permiteEnvio, permiteRecebimento: $permiteRecebimento, ativo: $ativo) {
        totalCount nodes { id sigla nome ativo modoTramitacao }
      } }`;
    async function buscar(token: string, variables: Record<string, unknown>, alvo: string | URL = filho.url) {
      const body = (await postarGraphql(agente, alvo, token, { query: QUERY_BUSCA, variables }, ACEITA)) as {
        data?: { estruturas: { totalCount: number; nodes: unknown[] } };
        errors?: unknown;
      };
      if (body.errors || !body.data) throw new Error(`estruturas failed: ${JSON.stringify(body.errors)}`);
      return body.data.estruturas;
    }
    const totais: number[] = [];
    for (const [i, variables] of BUSCAS.entries()) {
      capturandoBusca = String(i);
      const r = await buscar(tokens[0]!, variables, capturador.url);
      capturandoBusca = null;
      await buscar(tokens[0]!, variables); // warm-up of the measured gateway
      if (r.nodes.length === 0) throw new Error(`search ${JSON.stringify(variables)} found nothing`);
      totais.push(r.totalCount);
    }
    console.log(`\nsearch matches (totalCount): ${BUSCAS.map((b, i) => `${JSON.stringify(b.busca)} ${totais[i]}`).join(', ')}`);
    const buscasDiretas = [...buscasCapturadas.values()];
    if (buscasDiretas.length !== BUSCAS.length) throw new Error(`captured ${buscasDiretas.length} search statements`);
    for (const i of [0, 2, 4, BUSCAS.length - 1]) {
      for (const q of buscasDiretas[i]!) {
        const plano = await handle.rows<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${q.sql}`, q.params);
        console.log(`\nEXPLAIN ANALYZE of search ${JSON.stringify(BUSCAS[i])}:\n${plano.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
      }
    }
    // Each search alone, one client: where the time goes (its statements in order, replayed directly).
    console.log('\nper search, same SQL direct, one client (30 runs): p50 / p99 ms, statements');
    for (const [i, b] of BUSCAS.entries()) {
      const tempos: number[] = [];
      for (let k = 0; k < 30; k++) {
        const t = performance.now();
        for (const { sql, params } of buscasDiretas[i]!) await direto(sql, params);
        tempos.push(performance.now() - t);
      }
      tempos.sort((a, b) => a - b);
      const [p50, p99] = [percentil(tempos, 50), percentil(tempos, 99)].map((x) => x.toFixed(2).padStart(6));
      console.log(`  ${JSON.stringify(b).padEnd(56)} ${p50} / ${p99}  ${buscasDiretas[i]!.length}`);
    }
    // Every client takes the searches in turn (a client on a fixed search would leave some out).
    const vez = (() => {
      let n = 0;
      return () => n++ % BUSCAS.length;
    })();
    const buscaSql = await medir(async () => {
      for (const { sql, params } of buscasDiretas[vez()]!) await direto(sql, params);
    });
    const buscaGateway = await medir(
      async (c) => {
        await buscar(tokens[c % tokens.length]!, BUSCAS[vez()]!);
      },
      { perfil: 'busca' },
    );
    console.log(`\nestruturas(busca:, first: 20), concurrency ${CONCORRENCIA}, ${UNIDADES} units`);
    console.log(linha('same SQL, direct', buscaSql));
    console.log(linha('through the gateway (HTTP)', buscaGateway));
    console.log(veredito('search', buscaGateway, buscaSql));
  } finally {
    await limpar(limpeza);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
