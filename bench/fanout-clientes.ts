/**
 * The subscribers of bench/fanout.ts: graphql-ws clients to `eventosTramites`, each delivery recorded
 * with its arrival time. Held by bench/fanout.ts itself, or by bench/clients-child.ts processes.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const QUERY = 'subscription { eventosTramites { cursor ocorridoEm tramite { idt situacao } } }';

/** Milliseconds since the epoch, sub-millisecond: comparable between the bench's processes on one machine. */
export const agora = () => performance.timeOrigin + performance.now();

/** Every delivery: the event's seq and when it arrived here. */
export class Recepcao {
  seq: Float64Array;
  t: Float64Array;
  n = 0;
  erros = 0;
  primeiroErro: unknown = null;
  constructor(capacidade: number) {
    this.seq = new Float64Array(capacidade);
    this.t = new Float64Array(capacidade);
  }
  registrar(seq: number): void {
    if (this.n >= this.seq.length) return;
    this.t[this.n] = agora();
    this.seq[this.n++] = seq;
  }
  falhar(e: unknown): void {
    this.erros++;
    this.primeiroErro ??= e;
  }
  /** The deliveries of several processes' subscribers in one (each in its arrival order). */
  static juntar(partes: ReadonlyArray<Pick<Recepcao, 'seq' | 't' | 'n' | 'erros' | 'primeiroErro'>>): Recepcao {
    const todas = new Recepcao(partes.reduce((n, p) => n + p.n, 0));
    for (const p of partes) {
      todas.seq.set(p.seq.subarray(0, p.n), todas.n);
      todas.t.set(p.t.subarray(0, p.n), todas.n);
      todas.n += p.n;
      todas.erros += p.erros;
      todas.primeiroErro ??= p.primeiroErro;
    }
    return todas;
  }
}

/** Where a measurement's deliveries are: in this process, or in client processes (bench/clients-child.ts). */
export interface Receptor {
  /** Deliveries and subscription errors so far. */
  contar(): Promise<{ n: number; erros: number }>;
  /** Every delivery so far. */
  recepcao(): Promise<Recepcao>;
}

export const receptorLocal = (rec: Recepcao): Receptor => ({
  contar: async () => ({ n: rec.n, erros: rec.erros }),
  recepcao: async () => rec,
});

/** `assinaturas` subscriptions over ceil(assinaturas / porConexao) connections, opened `lote` at a time. */
export async function conectar(
  url: string,
  token: string,
  assinaturas: number,
  porConexao: number,
  rec: () => Recepcao,
  prazo: number,
): Promise<Client[]> {
  const wsUrl = url.replace(/^http/, 'ws');
  const clientes: Client[] = [];
  const conexoes = Math.ceil(assinaturas / porConexao);
  const LOTE = 250;
  let restantes = assinaturas;
  for (let feitas = 0; feitas < conexoes; feitas += LOTE) {
    if (Date.now() > prazo) throw new Error(`connecting took too long (${feitas}/${conexoes} connections at the deadline)`);
    const lote = Math.min(LOTE, conexoes - feitas);
    const abertos = await Promise.all(
      Array.from({ length: lote }, async () => {
        let conectado!: () => void;
        let falhou!: (e: unknown) => void;
        const pronto = new Promise<void>((resolve, reject) => {
          conectado = resolve;
          falhou = reject;
        });
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
          keepAlive: 0,
          onNonLazyError: () => {},
          connectionParams: { authorization: `Bearer ${token}` },
          on: { connected: () => conectado(), error: (e) => falhou(e), closed: (e) => falhou(e) },
        });
        clientes.push(client);
        await pronto;
        return client;
      }),
    );
    for (const client of abertos) {
      const aqui = Math.min(porConexao, restantes);
      restantes -= aqui;
      for (let i = 0; i < aqui; i++) {
        client.subscribe<{ eventosTramites: { cursor: string } }>(
          { query: QUERY },
          {
            next: (r) => {
              const cursor = r.data?.eventosTramites?.cursor;
              if (cursor) rec().registrar(Number(cursor));
              else rec().falhar(r.errors ?? r);
            },
            error: (e) => rec().falhar(e),
            complete: () => {},
          },
        );
      }
    }
  }
  return clientes;
}

export function encerrarClientes(clientes: Client[]): void {
  for (const c of clientes) {
    try {
      c.terminate();
    } catch {
      /* closed */
    }
  }
  clientes.length = 0;
}
