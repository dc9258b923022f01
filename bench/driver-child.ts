/**
 * The writer of bench/fanout.ts, in its own process (its commit timestamps must not wait behind the
 * benchmark's thousands of client sockets). Started with child_process.fork and `--import tsx`:
 *
 *   ← { tipo: 'servico', id, tramites, passos }
 *        every trâmite walks `passos` one step at a time, all trâmites concurrently, through the service
 *        (executarPasso: one transaction each, committed with its NOTIFY)
 *     → { tipo: 'feito', id, commits: [{ seq, antes, depois }] } `antes`: the step began; `depois`: right after
 *                                                                the commit returned
 *   ← { tipo: 'http', id, url, tramites, passos, tokenRemetente, tokenDestinatario }
 *        the same walk, one step at a time in total, as GraphQL mutations over HTTP to `url`
 *     → { tipo: 'feito', id, commits: [{ seq, antes, depois }] } `antes`: request sent; `depois`: answer read
 *   ← { tipo: 'fechar' }
 *
 * Times are bench/relogio.ts's (the machine's monotonic clock, ms): comparable with every other process of the
 * bench's. Environment: BENCH_CHILD_DATABASE_URL, BENCH_CHILD_REMETENTE_ORGAO,
 * BENCH_CHILD_DESTINATARIO_ORGAO.
 */
import { createDatabase, type Database } from '../src/db/client.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { PASSO_POR_ACAO } from '../src/tramites/regras.js';
import { loadConfig } from '../src/config.js';
import { comporServicos } from '../src/http/servicos.js';
import { conduzirPasso, type PedidoDeConducao } from '../src/demo/conducao.js';
import { passoPorHttp } from './support.js';
import { agora } from './relogio.js';

/** The trâmite service as the gateway composes it (onboarding's check runs in every step). */
const servicoTramites = (db: Database) => comporServicos(db, loadConfig()).tramites;

type Acao = PedidoDeConducao['acao'];
type Mensagem =
  | { tipo: 'servico'; id: number; tramites: number[]; passos: Acao[] }
  | { tipo: 'http'; id: number; url: string; tramites: number[]; passos: Acao[]; tokenRemetente: string; tokenDestinatario: string }
  | { tipo: 'fechar' };

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/driver-child.ts runs under bench/fanout.ts (fork with IPC)');
  const url = process.env.BENCH_CHILD_DATABASE_URL!;
  const database = await createDatabase({ kind: 'postgres', url, poolSize: 20 });
  const viewerRem: Viewer = {
    sujeito: 'bench.remetente',
    orgaoId: Number(process.env.BENCH_CHILD_REMETENTE_ORGAO),
    papeis: new Set(['SPE']),
  };
  const viewerDest: Viewer = {
    sujeito: 'bench.destinatario',
    orgaoId: Number(process.env.BENCH_CHILD_DESTINATARIO_ORGAO),
    papeis: new Set(['SPE']),
  };

  process.on('message', (mensagem: Mensagem) => {
    void (async () => {
      if (mensagem.tipo === 'fechar') {
        await database.close().catch(() => {});
        process.exit(0);
      }
      if (mensagem.tipo === 'servico') {
        const commits: Array<{ seq: number; antes: number; depois: number }> = [];
        await Promise.all(
          mensagem.tramites.map(async (tramiteId) => {
            for (const acao of mensagem.passos) {
              const viewer = PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? viewerRem : viewerDest;
              const antes = agora();
              const r = await conduzirPasso(database.db, servicoTramites(database.db), { acao, tramiteId, viewer, agora: new Date() });
              commits.push({ seq: r.evento.seq, antes, depois: agora() });
            }
          }),
        );
        process.send!({ tipo: 'feito', id: mensagem.id, commits });
      } else if (mensagem.tipo === 'http') {
        const commits: Array<{ seq: number; antes: number; depois: number }> = [];
        for (const tramiteId of mensagem.tramites) {
          for (const acao of mensagem.passos) {
            const token = PASSO_POR_ACAO[acao].lado === 'REMETENTE' ? mensagem.tokenRemetente : mensagem.tokenDestinatario;
            const antes = agora();
            const r = await passoPorHttp(mensagem.url, database.db, acao, tramiteId, token);
            const depois = agora();
            if (!r.ok) throw new Error(`mutation failed: ${JSON.stringify(r.body)}`);
            commits.push({ seq: r.seq!, antes, depois });
          }
        }
        process.send!({ tipo: 'feito', id: mensagem.id, commits });
      }
    })().catch((error) => {
      process.send!({ tipo: 'erro', id: (mensagem as { id?: number }).id, erro: String((error as Error)?.stack ?? error) });
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ tipo: 'pronto' });
}

main().catch((error) => {
  console.error('[driver-child]', error);
  process.exit(1);
});
