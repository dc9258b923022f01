/**
 * The floor for bench/reads.ts: node:http + postgres.js running one hand-written SQL statement per workload and
 * answering JSON, nothing else (no GraphQL, no auth). Started with child_process.fork; sends `{ tipo: 'pronto', url }`
 * once listening, exits on `{ tipo: 'fechar' }` or when the parent goes away.
 * Environment: BENCH_CHILD_DATABASE_URL, BENCH_CHILD_POOL_SIZE.
 *
 *   GET /w1?after=<id>          a page of 50 (+1 to know hasNextPage) with both units and their agencies
 *   GET /w2?idt=<idt>           one trâmite with its history
 *   GET /w3?orgao=<id>          the panel of one agency: counts per side and status
 *   GET /w4?after=<id>          W1 plus the total count
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';

const PAGINA = 50;

type Linha = Record<string, unknown>;

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/reads-floor-child.ts runs under bench/reads.ts (fork with IPC)');
  const url = process.env.BENCH_CHILD_DATABASE_URL;
  if (!url) throw new Error('BENCH_CHILD_DATABASE_URL is required');
  const sql = postgres(url, { max: Number(process.env.BENCH_CHILD_POOL_SIZE ?? 10), onnotice: () => {} });

  const unidade = (r: Linha, p: string) => ({
    sigla: r[`${p}_sigla`],
    nome: r[`${p}_nome`],
    orgao: { sigla: r[`${p}o_sigla`], nome: r[`${p}o_nome`] },
  });

  async function pagina(after: number) {
    const rows = await sql<Linha[]>`
      select t.id, t.idt, t.nre, t.numero_processo, t.situacao, t.criado_em,
             ru.sigla as ru_sigla, ru.nome as ru_nome, ruo.sigla as ruo_sigla, ruo.nome as ruo_nome,
             du.sigla as du_sigla, du.nome as du_nome, duo.sigla as duo_sigla, duo.nome as duo_nome
        from tramites t
        join estruturas ru on ru.id = t.remetente_unidade_id join estruturas ruo on ruo.id = ru.orgao_id
        join estruturas du on du.id = t.destinatario_unidade_id join estruturas duo on duo.id = du.orgao_id
       where t.id < ${after} order by t.id desc limit ${PAGINA + 1}`;
    const nodes = rows.slice(0, PAGINA).map((r) => ({
      id: r.id,
      idt: String(r.idt),
      nre: r.nre,
      numeroProcesso: r.numero_processo,
      situacao: r.situacao,
      criadoEm: r.criado_em,
      unidadeRemetente: unidade(r, 'ru'),
      unidadeDestinataria: unidade(r, 'du'),
    }));
    return { pageInfo: { hasNextPage: rows.length > PAGINA, endCursor: nodes.at(-1)?.id ?? null }, nodes };
  }

  const rotas: Record<string, (q: URLSearchParams) => Promise<unknown>> = {
    w1: (q) => pagina(Number(q.get('after') ?? Number.MAX_SAFE_INTEGER)),
    w4: async (q) => {
      const [page, [total]] = await Promise.all([
        pagina(Number(q.get('after') ?? Number.MAX_SAFE_INTEGER)),
        sql<{ n: number }[]>`select count(*)::int as n from tramites where ambiente = 'PRODUCAO'`,
      ]);
      return { totalCount: total!.n, ...page };
    },
    w2: async (q) => {
      const rows = await sql<Linha[]>`
        select t.idt, t.nre, t.situacao, ru.sigla as ru_sigla, du.sigla as du_sigla,
               e.para_situacao, e.ator_lado, e.ator_sujeito, e.ocorrido_em
          from tramites t
          join estruturas ru on ru.id = t.remetente_unidade_id join estruturas du on du.id = t.destinatario_unidade_id
          left join tramite_eventos e on e.tramite_id = t.id
         where t.idt = ${Number(q.get('idt'))} order by e.seq`;
      const r = rows[0];
      if (!r) return { tramite: null };
      return {
        tramite: {
          idt: String(r.idt),
          nre: r.nre,
          situacao: r.situacao,
          unidadeRemetente: { sigla: r.ru_sigla },
          unidadeDestinataria: { sigla: r.du_sigla },
          historico: rows.map((e) => ({ situacao: e.para_situacao, lado: e.ator_lado, ator: e.ator_sujeito, ocorridoEm: e.ocorrido_em })),
        },
      };
    },
    w3: async (q) => {
      const orgao = Number(q.get('orgao'));
      const rows = await sql<{ situacao: number; origem: number; destino: number }[]>`
        select situacao, (count(*) filter (where remetente_orgao_id = ${orgao}))::int as origem,
               (count(*) filter (where destinatario_orgao_id = ${orgao} and situacao not in (8, 9)))::int as destino
          from tramites
         where ambiente = 'PRODUCAO' and (remetente_orgao_id = ${orgao} or (destinatario_orgao_id = ${orgao} and situacao not in (8, 9)))
         group by situacao`;
      const lado = (l: 'origem' | 'destino') => {
        const porSituacao = rows.map((r) => ({ situacao: r.situacao, quantidade: r[l] }));
        return { total: porSituacao.reduce((s, r) => s + r.quantidade, 0), porSituacao };
      };
      return { painel: { comoOrigem: lado('origem'), comoDestino: lado('destino') } };
    },
  };

  const responder = (res: ServerResponse, status: number, body: unknown) => {
    const bytes = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(bytes) });
    res.end(bytes);
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const rota = rotas[u.pathname.slice(1)];
    if (!rota) return responder(res, 404, { error: 'not found' });
    rota(u.searchParams).then(
      (data) => responder(res, 200, { data }),
      (e: unknown) => responder(res, 500, { error: String(e) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.send({ tipo: 'pronto', url: `http://127.0.0.1:${port}` });
  const fechar = async () => {
    server.close();
    await sql.end({ timeout: 2 }).catch(() => {});
    process.exit(0);
  };
  process.on('message', (m: { tipo: string }) => {
    if (m.tipo === 'fechar') void fechar();
  });
  process.on('disconnect', () => void fechar());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
