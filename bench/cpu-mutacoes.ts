/**
 * Gateway CPU per mutation under each executor (graphql-jit and graphql-js), measured in the same rounds: the figure
 * that holds on a shared machine, where req/s does not. Starts a throwaway PostgreSQL (or uses BENCH_DATABASE_URL),
 * seeds the demo data, forks two bench/gateway-child.ts processes (GRAPHQL_EXECUTOR=jit and =graphql-js) and sends
 * each BENCH_REQUESTS (300) `iniciarTramite` mutations per round (each its own process number and idempotency key, the
 * demo document inline) at concurrency 10, reading the gateway process's CPU time from /proc before and after.
 * BENCH_ROUNDS (5) rounds, the executors alternating; the median and the lowest per executor are printed, and the
 * ratio jit / graphql-js of the medians. About a minute on a quiet machine.
 *
 *   npx tsx bench/cpu-mutacoes.ts
 *
 * Not part of the suite.
 */
import type { ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { mintToken } from '../src/identity/tokens.js';
import { CONTEUDO_DE_DEMO_GQL } from '../test/support/tramites.js';
import {
  bancoDeBench,
  cpuMs,
  envInt,
  fecharFilho,
  iniciarFilho,
  type Limpeza,
  limpar,
  mediana,
  parDeUnidades,
  postarGraphql,
} from './support.js';

const PEDIDOS = envInt('BENCH_REQUESTS', 300);
const RODADAS = envInt('BENCH_ROUNDS', 5);
const CONCORRENCIA = 10;
const SECRET = 'bench-secret-with-at-least-thirty-two-characters!!';
const EXECUTORES = ['jit', 'graphql-js'] as const;
const MUTACAO = `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) {
  __typename ... on TransicaoRealizada { tramite { id idt situacao } evento { cursor } } ... on Erro { codigo mensagem } } }`;
const gid = (tipo: string, id: number) => Buffer.from(`${tipo}:${id}`).toString('base64');

async function main(): Promise<void> {
  const limpeza: Limpeza = [];
  try {
    const { handle, url } = await bancoDeBench('cpumut', 2, limpeza);
    const par = await parDeUnidades(handle);
    const [orgao] = await handle.rows<{ repositorio: number; estrutura: number }>(
      'select repositorio_id::int as repositorio, numero_identificacao::int as estrutura from estruturas where id = $1',
      [par.rem_orgao],
    );
    const token = await mintToken(SECRET, { sub: 'bench.spe', orgao: orgao!, roles: ['SPE'] });
    const gateways: Array<{ executor: (typeof EXECUTORES)[number]; proc: ChildProcess; url: URL; agente: Agent }> = [];
    for (const executor of EXECUTORES) {
      const gw = await iniciarFilho('bench/gateway-child.ts', {
        BENCH_CHILD_DATABASE_URL: url,
        BENCH_CHILD_JWT_SECRET: SECRET,
        GRAPHQL_EXECUTOR: executor,
      });
      limpeza.push(() => fecharFilho(gw.proc));
      gateways.push({ executor, ...gw, agente: new Agent({ keepAlive: true, maxSockets: CONCORRENCIA }) });
    }
    let numero = 0;
    async function rodada(gw: (typeof gateways)[number], quantos: number): Promise<number> {
      const inicio = numero;
      numero += quantos;
      let proximo = inicio;
      const c0 = cpuMs(gw.proc.pid);
      await Promise.all(
        Array.from({ length: CONCORRENCIA }, async () => {
          while (proximo < inicio + quantos) {
            const i = proximo++;
            const input = {
              tipo: 'PROCESSO',
              numeroProcesso: `bench-cpu-${i}`,
              chaveIdempotencia: `bench-cpu-chave-${i}`,
              unidadeRemetente: gid('UnidadeAdministrativa', par.rem),
              unidadeDestinataria: gid('UnidadeAdministrativa', par.dest),
              ...CONTEUDO_DE_DEMO_GQL,
            };
            const body = (await postarGraphql(gw.agente, gw.url, token, { query: MUTACAO, variables: { input } }, null)) as {
              data?: { r?: { __typename: string } };
            };
            if (body.data?.r?.__typename !== 'TransicaoRealizada') throw new Error(`${gw.executor}: ${JSON.stringify(body).slice(0, 400)}`);
          }
        }),
      );
      return (cpuMs(gw.proc.pid) - c0) / quantos;
    }
    // A warm-up round each (V8's optimiser, graphql-jit's compile of the document, the pool's statements).
    for (const gw of gateways) await rodada(gw, 100);
    const medidas = gateways.map(() => [] as number[]);
    for (let r = 0; r < RODADAS; r++) for (const [i, gw] of gateways.entries()) medidas[i]!.push(await rodada(gw, PEDIDOS));
    console.log(`gateway CPU ms per iniciarTramite (${RODADAS} rounds × ${PEDIDOS}, concurrency ${CONCORRENCIA}): median, lowest, each`);
    for (const [i, gw] of gateways.entries()) {
      const xs = medidas[i]!;
      console.log(
        `  ${gw.executor.padEnd(10)} ${mediana(xs).toFixed(2)}  ${Math.min(...xs).toFixed(2)}   (${xs.map((x) => x.toFixed(2)).join(' ')})`,
      );
    }
    console.log(`  jit / graphql-js (medians): ${(mediana(medidas[0]!) / mediana(medidas[1]!)).toFixed(3)}`);
    for (const gw of gateways) gw.agente.destroy();
  } finally {
    await limpar(limpeza);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
