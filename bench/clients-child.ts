/**
 * Subscribers of bench/fanout.ts in a process of their own: the two-process phases (two gateway instances,
 * two floor processes) give each server its own client process, so 20,000 subscribers are not all read by
 * one event loop (at ~2 µs of client CPU per delivery, one process alone would need about 2 s of one core
 * for a burst of 50). Started with child_process.fork, `--import tsx` and `serialization: 'advanced'`:
 *
 *   ← { tipo: 'conectar', id, url, token, assinaturas, porConexao, capacidade, prazo }
 *                                               → { tipo: 'conectado', id } once every connection is acknowledged
 *   ← { tipo: 'contar', id }                    → { tipo: 'contagem', id, n, erros }
 *   ← { tipo: 'esperar', id, eventos, ms }      → { tipo: 'contagem', id, n, erros } once every subscriber here has
 *                                                 `eventos` more deliveries than at the last `contar` (or an error, or `ms`)
 *   ← { tipo: 'recepcao', id }                  → { tipo: 'recepcao', id, seq, t, n, erros, primeiroErro }
 *                                                 (every delivery so far: Float64Arrays, times on bench/relogio.ts's clock)
 *   ← { tipo: 'perfil', id, arquivo }          starts a CPU profile when `arquivo` is null, else writes it there
 *                                               → { tipo: 'perfil', id }
 *   ← { tipo: 'fechar' }                        terminates the clients and exits
 *
 * Exits when the parent goes away.
 */
import { conectar, type Conexao, encerrarClientes, Recepcao, receptorLocal } from './fanout-clientes.js';
import { perfilador } from './perfil.js';

type Mensagem =
  | { tipo: 'conectar'; id: number; url: string; token: string; assinaturas: number; porConexao: number; capacidade: number; prazo: number }
  | { tipo: 'contar'; id: number }
  | { tipo: 'esperar'; id: number; eventos: number; ms: number }
  | { tipo: 'recepcao'; id: number }
  | { tipo: 'perfil'; id: number; arquivo: string | null }
  | { tipo: 'fechar' };

function main(): void {
  if (!process.send) throw new Error('bench/clients-child.ts runs under bench/fanout.ts (fork with IPC)');
  let rec = new Recepcao(0);
  let receptor = receptorLocal(rec, 0);
  const clientes: Conexao[] = [];
  const perfilar = perfilador();
  process.on('message', (m: Mensagem) => {
    if (m.tipo === 'conectar') {
      rec = new Recepcao(m.capacidade);
      receptor = receptorLocal(rec, m.assinaturas);
      conectar(m.url, m.token, m.assinaturas, m.porConexao, () => rec, m.prazo).then(
        (abertos) => {
          clientes.push(...abertos);
          process.send!({ tipo: 'conectado', id: m.id });
        },
        (error: Error) => process.send!({ tipo: 'erro', id: m.id, erro: error.message }),
      );
    } else if (m.tipo === 'contar') {
      void receptor.contar().then((c) => process.send!({ tipo: 'contagem', id: m.id, ...c }));
    } else if (m.tipo === 'esperar') {
      void receptor.esperar(m.eventos, m.ms).then((c) => process.send!({ tipo: 'contagem', id: m.id, ...c }));
    } else if (m.tipo === 'recepcao') {
      const primeiroErro = rec.primeiroErro == null ? null : JSON.stringify(rec.primeiroErro).slice(0, 500);
      process.send!({
        tipo: 'recepcao',
        id: m.id,
        seq: rec.seq.slice(0, rec.n),
        t: rec.t.slice(0, rec.n),
        n: rec.n,
        erros: rec.erros,
        primeiroErro,
      });
    } else if (m.tipo === 'perfil') {
      perfilar(m.arquivo).then(
        () => process.send!({ tipo: 'perfil', id: m.id }),
        (error: Error) => process.send!({ tipo: 'erro', id: m.id, erro: error.message }),
      );
    } else if (m.tipo === 'fechar') {
      encerrarClientes(clientes);
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ tipo: 'pronto' });
}

main();
