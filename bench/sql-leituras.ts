/**
 * The SQL behind the read workloads (issue 15, goal 1): the statements the gateway and PostGraphile send for W1 (a
 * page of 50 with both units and their agencies, and the next page), W2 (one trâmite with its history) and W4 (W1 +
 * `totalCount`), caught on the wire (bench/contador-pg.ts, with their bound values), then each run again directly on
 * one postgres.js connection BENCH_SQL_RUNS (300) times, the sides interleaved: per request (the sum over its
 * statements) the median server time (planning + execution, from EXPLAIN ANALYZE; statements prepared as the gateway's
 * connections run them, a generic plan reused once PostgreSQL picks it; beside it, every execution planned with its
 * values, as before `plan_cache_mode` went back to auto) and the median round trip through the driver, the ratios, how
 * PostgreSQL planned the prepared executions (pg_prepared_statements: generic/custom plans, summed over the request's
 * statements), and MET when the gateway's server time is no more than PostGraphile's. A third side, "before", is a second gateway
 * process running drizzle-orm's relational query builder as released (bench/drizzle-sem-juncoes.mjs: nested `one`
 * relations as per-row lateral sub-queries, not the patch's left joins); its answers must equal the gateway's.
 * Same database as bench/reads.ts: BENCH_TRAMITES (100,000) trâmites with 5 events each, a throwaway PostgreSQL (or
 * BENCH_DATABASE_URL).
 *
 *   npx tsx bench/sql-leituras.ts                    # ~1 min
 *   BENCH_SQL_EXPLAIN=1 npx tsx bench/sql-leituras.ts   # also prints each statement and its EXPLAIN (ANALYZE, BUFFERS)
 *
 * Not part of the suite.
 */
import { deepStrictEqual } from 'node:assert/strict';
import postgres from 'postgres';
import { mintToken } from '../src/identity/tokens.js';
import { GW_PAGE, GW_TRAMITE, PG_PAGE, PG_TRAMITE } from './consultas-leituras.js';
import { PLANO_POR_VALORES } from '../src/db/client.js';
import { contadorPg, type Instrucao } from './contador-pg.js';
import { bancoDeBench, envInt, type Limpeza, limpar, semearTramites, iniciarFilho, mediana } from './support.js';

const TRAMITES = envInt('BENCH_TRAMITES', 100_000);
const EXECUCOES = envInt('BENCH_SQL_RUNS', 300);
const EXPLAIN = Boolean(process.env.BENCH_SQL_EXPLAIN);
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';

async function graphql(url: URL, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (!res.ok || body.errors) throw new Error(`${url}: ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

const LADOS = ['gateway', 'antes', 'postgraphile'] as const;
type Pedido = { nome: string } & Record<(typeof LADOS)[number], Instrucao[]>;

// The gateway's live-feed bus polls the event log beside the requests: its statements are not the request's.
const doBarramento = (texto: string) => /log_marca|from "tramite_eventos" inner join "tramites"/.test(texto);

async function main(): Promise<void> {
  const limpeza: Limpeza = [];
  try {
    const { handle, url, servidor, versao } = await bancoDeBench('sqlleituras', 5, limpeza);
    console.log(`PostgreSQL ${versao} on ${servidor}`);
    await semearTramites(url, handle, TRAMITES, 5, limpeza);
    const [meio] = await handle.rows<{ idt: string }>('select idt::text from tramites order by id offset $1 limit 1', [
      Math.floor(TRAMITES / 2),
    ]);
    // Each server behind a counting proxy of its own: a statement one sends in the background is never another's.
    const filho = async (script: string, execArgv: string[] = []) => {
      const contador = await contadorPg(url);
      limpeza.push(() => contador.close());
      const env = { BENCH_CHILD_DATABASE_URL: contador.url, BENCH_CHILD_JWT_SECRET: SECRET, BENCH_CHILD_POOL_SIZE: '2' };
      const c = await iniciarFilho(script, env, execArgv);
      limpeza.push(async () => c.proc.kill());
      return { ...c, contador };
    };
    const [gw, antes, pgl] = await Promise.all([
      filho('bench/gateway-child.ts'),
      filho('bench/gateway-child.ts', ['--import', './bench/drizzle-sem-juncoes.mjs']),
      filho('bench/reads-postgraphile-child.mjs'),
    ]);
    const auth = { authorization: `Bearer ${await mintToken(SECRET, { sub: 'bench.pen', orgao: null, roles: ['PEN_ADMIN'] })}` };

    // Each request once unmeasured (the token's lookups, PostGraphile's first plan), then once caught on the wire.
    const pegar = async (
      { url, contador }: typeof gw,
      query: string,
      variables: Record<string, unknown>,
      headers?: Record<string, string>,
    ): Promise<{ dados: any; instrucoes: Instrucao[] }> => {
      await graphql(url, query, variables, headers);
      // A read sends only selects, the same ones each time: a capture holding anything else, or differing from the one
      // before, caught a background job's statements (a gateway's start-up work, slow on a loaded machine), so it is
      // taken again after a pause.
      let anterior: string | null = null;
      for (let tentativa = 0; tentativa < 40; tentativa++) {
        if (tentativa > 1) await new Promise((r) => setTimeout(r, 250));
        contador.zerar();
        const dados = await graphql(url, query, variables, headers);
        const instrucoes = contador.instrucoes.filter((i) => !doBarramento(i.texto));
        const textos = instrucoes.map((i) => i.texto).join('\n');
        if (instrucoes.every((i) => /^\s*(select|with)\b/i.test(i.texto)) && textos === anterior) return { dados, instrucoes };
        anterior = textos;
      }
      throw new Error(`${url}: no two captures of the request in a row sent the same selects; the last:\n${anterior}`);
    };
    // The gateway's request, and the same one to the gateway before the patch: the same answer.
    const doGateway = async (query: string, variables: Record<string, unknown>) => {
      const agora = await pegar(gw, query, variables, auth);
      const anterior = await pegar(antes, query, variables, auth);
      deepStrictEqual(agora.dados, anterior.dados, 'the gateway answered otherwise before the drizzle-orm patch');
      return { ...agora, antes: anterior.instrucoes };
    };
    const pedidos: Pedido[] = [];
    for (const total of [false, true]) {
      const nome = total ? 'W4' : 'W1';
      const g1 = await doGateway(GW_PAGE(total), {});
      const p1 = await pegar(pgl, PG_PAGE(total), {});
      pedidos.push({ nome: `${nome} page 1`, gateway: g1.instrucoes, antes: g1.antes, postgraphile: p1.instrucoes });
      const g2 = await doGateway(GW_PAGE(total), { after: g1.dados.tramites.pageInfo.endCursor });
      const p2 = await pegar(pgl, PG_PAGE(total), { after: p1.dados.allTramites.pageInfo.endCursor });
      pedidos.push({ nome: `${nome} page 2`, gateway: g2.instrucoes, antes: g2.antes, postgraphile: p2.instrucoes });
    }
    const g = await doGateway(GW_TRAMITE, { idt: meio!.idt });
    const p = await pegar(pgl, PG_TRAMITE, { idt: meio!.idt });
    pedidos.push({ nome: 'W2', gateway: g.instrucoes, antes: g.antes, postgraphile: p.instrucoes });

    // As the gateway's connections run (src/db/client.ts): prepared, plan_cache_mode auto (a generic plan reused once
    // PostgreSQL finds it as cheap), a statement marked PLANO_POR_VALORES unnamed; and, the same run, every execution
    // planned with its values (`custom`, how they ran before).
    const direto = postgres(url, { max: 1, onnotice: () => {} });
    limpeza.push(() => direto.end({ timeout: 5 }));
    const executar = (i: Instrucao) => direto.unsafe(i.texto, i.parametros as string[], { prepare: !i.texto.includes(PLANO_POR_VALORES) });
    const planejado = postgres(url, { max: 1, onnotice: () => {} });
    limpeza.push(() => planejado.end({ timeout: 5 }));
    await planejado.unsafe('set plan_cache_mode = force_custom_plan');

    // The server's own time (planning + execution, EXPLAIN ANALYZE without per-node timing) and the round trip through
    // the driver (transfer and parsing included), the two sides interleaved run by run so both see the same load.
    // Reused: the statement PREPAREd by name on `direto` and timed by EXPLAIN EXECUTE, its values as literals.
    const nomes = new Map<Instrucao, string>();
    const literal = (v: unknown) => (v == null ? 'null' : `'${String(v).replaceAll("'", "''")}'`);
    const explicar = async (conexao: postgres.Sql, texto: string, parametros: unknown[]) => {
      const [linha] = await conexao.unsafe(`explain (analyze, timing off, format json) ${texto}`, parametros as string[]);
      const plano = (linha as unknown as { 'QUERY PLAN': { 'Planning Time': number; 'Execution Time': number }[] })['QUERY PLAN'][0]!;
      return plano['Planning Time'] + plano['Execution Time'];
    };
    const tempoNoServidor = async (i: Instrucao): Promise<number> => {
      if (i.texto.includes(PLANO_POR_VALORES) || !i.parametros.length) return explicar(direto, i.texto, i.parametros);
      let nome = nomes.get(i);
      if (!nome) {
        nome = `leitura_${nomes.size}`;
        await direto.unsafe(`prepare ${nome} as ${i.texto}`);
        nomes.set(i, nome);
      }
      return explicar(direto, `execute ${nome}(${i.parametros.map(literal).join(', ')})`, []);
    };
    const tempoPlanejado = (i: Instrucao) => explicar(planejado, i.texto, i.parametros);
    // How PostgreSQL planned a request's prepared statements on `direto` (pg_prepared_statements), summed over them:
    // "generic/custom"; a statement marked PLANO_POR_VALORES or without parameters is never prepared and counts none.
    const planos = async (instrucoes: Instrucao[]) => {
      const preparadas = instrucoes.flatMap((i) => nomes.get(i) ?? []);
      const [linha] = await direto.unsafe<{ generic: number; custom: number }[]>(
        'select coalesce(sum(generic_plans), 0)::int as generic, coalesce(sum(custom_plans), 0)::int as custom from pg_prepared_statements where name = any($1)',
        [preparadas],
      );
      return `${linha!.generic}/${linha!.custom}`;
    };
    const idaEVolta = async (i: Instrucao): Promise<number> => {
      const t0 = performance.now();
      await executar(i);
      return performance.now() - t0;
    };
    const soma = async (instrucoes: Instrucao[], medir: (i: Instrucao) => Promise<number>) => {
      let total = 0;
      for (const i of instrucoes) total += await medir(i);
      return total;
    };

    console.log(`\nmedians of ${EXECUCOES} direct runs per request (the sum over its statements), ${TRAMITES} trâmites`);
    const cabecalho =
      'request      statements gw / before / PG   server ms (plan + exec) gw / before / PG   gw/PG   custom plans gw / before / PG   round trip ms gw / before / PG   gw/PG   plans generic/custom gw / before / PG   server ≤ PG';
    const linhas: string[] = [];
    for (const pedido of pedidos) {
      for (const lado of LADOS) {
        for (const instrucao of pedido[lado]) {
          for (let k = 0; k < 20; k++) {
            await executar(instrucao);
            await tempoNoServidor(instrucao); // past the five custom plans, so a generic one is in use if chosen
          }
          if (EXPLAIN) {
            // The plan the measured runs use: the prepared statement's (generic once chosen), or one for its values.
            const nome = nomes.get(instrucao);
            const plano = nome
              ? await direto.unsafe(`explain (analyze, buffers) execute ${nome}(${instrucao.parametros.map(literal).join(', ')})`)
              : await direto.unsafe(`explain (analyze, buffers) ${instrucao.texto}`, instrucao.parametros as string[]);
            console.log(`\n--- ${pedido.nome}, ${lado}: ${instrucao.texto}\n    ${JSON.stringify(instrucao.parametros)}`);
            for (const linha of plano) console.log(`    ${linha['QUERY PLAN']}`);
          }
        }
      }
      const medidas = Object.fromEntries(
        LADOS.map((lado) => [lado, { servidor: [] as number[], planejado: [] as number[], ida: [] as number[] }]),
      );
      for (let k = 0; k < EXECUCOES; k++) {
        for (const lado of LADOS) {
          medidas[lado]!.servidor.push(await soma(pedido[lado], tempoNoServidor));
          medidas[lado]!.planejado.push(await soma(pedido[lado], tempoPlanejado));
          medidas[lado]!.ida.push(await soma(pedido[lado], idaEVolta));
        }
      }
      const servidor = LADOS.map((lado) => mediana(medidas[lado]!.servidor));
      const planejados = LADOS.map((lado) => mediana(medidas[lado]!.planejado));
      const ida = LADOS.map((lado) => mediana(medidas[lado]!.ida));
      const genericos = await Promise.all(LADOS.map((lado) => planos(pedido[lado])));
      const tres = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' / ');
      const [gs, , ps] = servidor as [number, number, number];
      const [gi, , pi] = ida as [number, number, number];
      linhas.push(
        [
          pedido.nome.padEnd(12),
          LADOS.map((lado) => pedido[lado].length)
            .join(' / ')
            .padStart(28),
          tres(servidor).padStart(42),
          (gs / ps).toFixed(2).padStart(7),
          tres(planejados).padStart(30),
          tres(ida).padStart(32),
          (gi / pi).toFixed(2).padStart(7),
          genericos.join(' / ').padStart(42),
          (gs <= ps ? 'MET' : 'MISSED').padStart(13),
        ].join(' '),
      );
    }
    console.log(`${cabecalho}\n${linhas.join('\n')}`);
  } finally {
    await limpar(limpeza);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
