/**
 * The floor of bench/fanout.ts, in its own process like a gateway instance: node:http + `ws` speaking
 * just enough graphql-ws (connection_ack, remember each subscribe's id) to serve the same clients, and
 * writing one prepared event to every socket: the same bytes as the gateway's `next` frame, only the id
 * spliced in, framed once and written straight to each socket's TCP stream as the gateway does. No GraphQL,
 * no database, no queue: what is left is the cost of the sockets themselves.
 *
 *   → { tipo: 'pronto', url }
 *   ← { tipo: 'memoria', id }                  → { tipo: 'memoria', id, assinantes, rss, heapUsed, ... }
 *   ← { tipo: 'eventos', id, seqs }            one frame per seq to every subscriber, up to 64 events per
 *                                               turn of the event loop, one write per socket per turn (as the
 *                                               gateway's bus and broadcast)
 *                                               → { tipo: 'feito', id, commits: [{ seq, depois }] }
 *                                               `depois`: just before the event's first write
 *   ← { tipo: 'custos', id, seqs }             as bench/gateway-child.ts's: per seq, what its turn's writes cost
 *                                               until the next turn → { tipo: 'custos', id, custos: [{ cpuMs, paredeMs }] }
 *   ← { tipo: 'perfil', id, arquivo }          a CPU profile, as bench/gateway-child.ts's → { tipo: 'perfil', id }
 *   ← { tipo: 'fechar' }
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { perfilador } from './perfil.js';
import { agora } from './relogio.js';

type Mensagem =
  | { tipo: 'memoria'; id: number }
  | { tipo: 'eventos'; id: number; seqs: number[] }
  | { tipo: 'custos'; id: number; seqs: number[] }
  | { tipo: 'perfil'; id: number; arquivo: string | null }
  | { tipo: 'fechar' };

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/floor-child.ts runs under bench/fanout.ts (fork with IPC)');
  /** Per socket, the start of each of its subscriptions' `next` frame text: `{"id":<id>`. */
  const assinantes = new Map<WebSocket, Buffer[]>();
  const cabecalho = (tamanho: number) => (tamanho < 126 ? 2 : 4);
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; id?: string };
      if (m.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (m.type === 'subscribe' && m.id) {
        const heads = assinantes.get(socket) ?? [];
        heads.push(Buffer.from(`{"id":${JSON.stringify(m.id)}`));
        assinantes.set(socket, heads);
      } else if (m.type === 'ping') socket.send('{"type":"pong"}');
    });
    socket.on('close', () => assinantes.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  const contagem = () => [...assinantes.values()].reduce((n, ids) => n + ids.length, 0);
  /** The gateway's payload for this bench's subscription, serialised once per event. */
  const payload = (seq: number) =>
    JSON.stringify({
      data: {
        eventosTramites: {
          cursor: String(seq),
          ocorridoEm: new Date().toISOString(),
          tramite: { idt: seq, situacao: 'METADADOS_RECEBIDOS' },
        },
      },
    });
  /**
   * One turn's events to every subscriber, as the gateway writes them (src/http/websocket-writes.ts): each
   * event's text after the id (`,"type":"next","payload":…}`) built once, and per socket one buffer of its
   * frames (RFC 6455 header, the subscription's `{"id":…` made at subscribe, the shared rest) written straight
   * to the socket's TCP stream, one write per socket. ws frames a server's text the same way (unmasked, no
   * extension negotiated) and writes its own frames to that stream whole, so they never interleave.
   */
  const escrever = (seqs: number[]) => {
    const corpos = seqs.map((seq) => Buffer.from(`,"type":"next","payload":${payload(seq)}}`));
    for (const [socket, heads] of assinantes) {
      if (socket.readyState !== socket.OPEN) continue;
      let total = 0;
      for (const corpo of corpos) for (const head of heads) total += cabecalho(head.length + corpo.length) + head.length + corpo.length;
      const bytes = Buffer.allocUnsafe(total);
      let em = 0;
      for (const corpo of corpos) {
        for (const head of heads) {
          const tamanho = head.length + corpo.length;
          bytes[em] = 0x81; // FIN, text
          if (tamanho < 126) bytes[em + 1] = tamanho;
          else if (tamanho < 65_536) {
            bytes[em + 1] = 126;
            bytes.writeUInt16BE(tamanho, em + 2);
          } else throw new Error('floor: frames of 64 KiB or more are not laid out');
          em += cabecalho(tamanho);
          bytes.set(head, em);
          bytes.set(corpo, em + head.length);
          em += tamanho;
        }
      }
      (socket as unknown as { _socket: { write(b: Buffer): void } })._socket.write(bytes);
    }
  };
  const POR_VOLTA = 64;
  const custos = new Map<number, { cpuMs: number; paredeMs: number }>();
  const perfilar = perfilador();

  process.on('message', (m: Mensagem) => {
    if (m.tipo === 'memoria') {
      const u = process.memoryUsage();
      process.send!({
        tipo: 'memoria',
        id: m.id,
        rss: u.rss,
        heapUsed: u.heapUsed,
        external: u.external,
        gc: false,
        assinantes: contagem(),
        posicao: 0,
      });
    } else if (m.tipo === 'eventos') {
      void (async () => {
        const commits: Array<{ seq: number; depois: number }> = [];
        for (let i = 0; i < m.seqs.length; i += POR_VOLTA) {
          const volta = m.seqs.slice(i, i + POR_VOLTA);
          const depois = agora();
          for (const seq of volta) commits.push({ seq, depois });
          const cpu0 = process.cpuUsage();
          escrever(volta);
          await new Promise<void>((resolve) => setImmediate(resolve));
          const cpu = process.cpuUsage(cpu0);
          const custo = { cpuMs: (cpu.user + cpu.system) / 1000, paredeMs: agora() - depois };
          if (custos.size < 100_000) for (const seq of volta) custos.set(seq, custo);
        }
        process.send!({ tipo: 'feito', id: m.id, commits });
      })();
    } else if (m.tipo === 'custos') {
      process.send!({ tipo: 'custos', id: m.id, custos: m.seqs.map((seq) => custos.get(seq) ?? null) });
    } else if (m.tipo === 'perfil') {
      perfilar(m.arquivo).then(
        () => process.send!({ tipo: 'perfil', id: m.id }),
        (error: Error) => process.send!({ tipo: 'erro', id: m.id, erro: error.message }),
      );
    } else if (m.tipo === 'fechar') {
      for (const socket of assinantes.keys()) socket.terminate();
      wss.close();
      server.close();
      process.send!({ tipo: 'fechado' }, () => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ tipo: 'pronto', url });
}

main().catch((error) => {
  console.error('[floor-child]', error);
  process.exit(1);
});
