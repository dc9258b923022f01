/**
 * One gateway instance in its own process, for bench/fanout.ts (so the benchmark's clients do not share
 * its event loop). Started with child_process.fork and `--import tsx --expose-gc`; talks over IPC:
 *
 *   → { tipo: 'pronto', url }                      once listening
 *   ← { tipo: 'memoria', id }   → { tipo: 'memoria', id, rss, heapUsed, external, assinantes, posicao }
 *                                                   after two full GCs (when --expose-gc)
 *   ← { tipo: 'entregas', id, seqs }  → { tipo: 'entregas', id, t }   when the bus delivered each seq (ms on
 *                                                   bench/relogio.ts's clock; null if it did not)
 *   ← { tipo: 'custos', id, seqs }    → { tipo: 'custos', id, custos }  per seq, what this process spent from the
 *                                                   bus's delivery to the next turn of the event loop (the fan-out's
 *                                                   writes and their callbacks): { cpuMs, paredeMs }, or null
 *   ← { tipo: 'perfil', id, arquivo }   starts a CPU profile (inspector) when `arquivo` is null; else stops it and
 *                                                   writes it there   → { tipo: 'perfil', id }
 *   ← { tipo: 'fechar' }        → { tipo: 'fechado' } then exits
 *
 * Environment: BENCH_CHILD_DATABASE_URL, BENCH_CHILD_JWT_SECRET, BENCH_CHILD_MAX_PENDING,
 * BENCH_CHILD_MAX_SUBS_PER_CONNECTION. Exits when the parent goes away.
 */
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { startGateway } from '../src/http/gateway.js';
import { perfilador } from './perfil.js';
import { agora } from './relogio.js';

type Mensagem =
  | { tipo: 'memoria'; id: number }
  | { tipo: 'entregas'; id: number; seqs: number[] }
  | { tipo: 'custos'; id: number; seqs: number[] }
  | { tipo: 'perfil'; id: number; arquivo: string | null }
  | { tipo: 'fechar' };

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/gateway-child.ts runs under bench/fanout.ts (fork with IPC)');
  const url = process.env.BENCH_CHILD_DATABASE_URL;
  const secret = process.env.BENCH_CHILD_JWT_SECRET;
  if (!url || !secret) throw new Error('BENCH_CHILD_DATABASE_URL and BENCH_CHILD_JWT_SECRET are required');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '10',
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
    FEED_MAX_PENDING_EVENTS: process.env.BENCH_CHILD_MAX_PENDING ?? '100000',
    FEED_MAX_SUBSCRIPTIONS_PER_CONNECTION: process.env.BENCH_CHILD_MAX_SUBS_PER_CONNECTION ?? '25',
    SHUTDOWN_GRACE_MS: '2000',
    AUTO_CANCEL_ENABLED: 'false',
    GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR,
  });
  if (config.database.kind !== 'postgres') throw new Error('unreachable');
  const database = await createDatabase({ kind: 'postgres', url: config.database.url, poolSize: config.database.poolSize });
  const gateway = await startGateway({ config, database, logger: createLogger('silent') });
  const gc = (globalThis as { gc?: () => void }).gc;
  // When the bus handed each event to its listeners: splits a delivery's latency into before and after the fan-out.
  // Not a subscriber (assinantes: 0), and bounded.
  const entregas = new Map<number, number>();
  const custos = new Map<number, { cpuMs: number; paredeMs: number }>();
  // Added before any subscriber: the bus hands each event to this listener first, then to the groups, whose
  // writes run in the same turn; setImmediate runs once they and their callbacks are done.
  gateway.feeds.tramites.adicionar({
    assinantes: 0,
    entregar: (evento) => {
      if (entregas.size >= 100_000) return;
      const t0 = agora();
      entregas.set(evento.seq, t0);
      const cpu0 = process.cpuUsage();
      setImmediate(() => {
        const cpu = process.cpuUsage(cpu0);
        custos.set(evento.seq, { cpuMs: (cpu.user + cpu.system) / 1000, paredeMs: agora() - t0 });
      });
    },
  });

  const perfilar = perfilador();

  process.on('message', (mensagem: Mensagem) => {
    if (mensagem.tipo === 'perfil') {
      void perfilar(mensagem.arquivo).then(
        () => process.send!({ tipo: 'perfil', id: mensagem.id }),
        (error: Error) => process.send!({ tipo: 'erro', id: mensagem.id, erro: error.message }),
      );
    } else if (mensagem.tipo === 'memoria') {
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      process.send!({
        tipo: 'memoria',
        id: mensagem.id,
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        gc: Boolean(gc),
        assinantes: gateway.feeds.tramites.assinantes,
        posicao: gateway.feeds.tramites.posicao,
      });
    } else if (mensagem.tipo === 'custos') {
      process.send!({ tipo: 'custos', id: mensagem.id, custos: mensagem.seqs.map((seq) => custos.get(seq) ?? null) });
    } else if (mensagem.tipo === 'entregas') {
      process.send!({ tipo: 'entregas', id: mensagem.id, t: mensagem.seqs.map((seq) => entregas.get(seq) ?? null) });
    } else if (mensagem.tipo === 'fechar') {
      void (async () => {
        await gateway.close().catch(() => {});
        await database.close().catch(() => {});
        process.send!({ tipo: 'fechado' }, () => process.exit(0));
      })();
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ tipo: 'pronto', url: gateway.url });
}

main().catch((error) => {
  console.error('[gateway-child]', error);
  process.exit(1);
});
