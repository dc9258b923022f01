/**
 * The subscribers of bench/fanout.ts: light graphql-transport-ws clients to `eventosTramites`, each delivery
 * recorded with its arrival time. Held by bench/fanout.ts itself, or by bench/clients-child.ts processes; the
 * same code serves the gateway and the floor (bench/floor-child.ts), so both sides' clients cost the same.
 *
 * Light, as a client that only needs each event's position would be: the protocol's handshake, subscribe,
 * pong and complete in full (`ws` speaking graphql-transport-ws, no compression offered), and each `next`
 * routed to its subscription by id, its cursor read where the frame's layout puts it
 * (`{"id":"<id>","type":"next","payload":{"data":{"eventosTramites":{"cursor":"<seq>"…`) instead of
 * `JSON.parse` of the whole payload for one field. A message of any other shape (an error, a `next` with
 * errors, another layout) is parsed in full and counted as an error unless the protocol says otherwise.
 * The graphql-ws client (`createClient`) parsed and validated every message and called every subscription's
 * listener of the connection for each one: about 2.5–3.5 µs of client CPU per delivery, more than the
 * gateway's own 1.3 (bench/README.md).
 */
import WebSocket from 'ws';
import { agora } from './relogio.js';

export const QUERY = 'subscription { eventosTramites { cursor ocorridoEm tramite { idt situacao } } }';

/** Every delivery: the event's seq and when it arrived here. */
export class Recepcao {
  seq: Float64Array;
  t: Float64Array;
  n = 0;
  erros = 0;
  primeiroErro: unknown = null;
  /** Who waits for `n` to reach `alvo` (one waiter: the bench measures one thing at a time). */
  private espera: { alvo: number; avisar: () => void } | null = null;
  constructor(capacidade: number) {
    this.seq = new Float64Array(capacidade);
    this.t = new Float64Array(capacidade);
  }
  registrar(seq: number, t: number): void {
    if (this.n >= this.seq.length) return;
    this.t[this.n] = t;
    this.seq[this.n++] = seq;
    if (this.espera && this.n >= this.espera.alvo) this.espera.avisar();
  }
  falhar(e: unknown): void {
    this.erros++;
    this.primeiroErro ??= e;
    this.espera?.avisar();
  }
  /** Resolves once `alvo` deliveries have arrived, at the first error, or after `ms`: no polling while deliveries arrive. */
  esperar(alvo: number, ms: number): Promise<void> {
    if (this.n >= alvo || this.erros > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const avisar = () => {
        clearTimeout(timer);
        this.espera = null;
        resolve();
      };
      const timer = setTimeout(avisar, ms);
      this.espera = { alvo, avisar };
    });
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
  /** Deliveries and subscription errors so far; marks where `esperar` counts from. */
  contar(): Promise<{ n: number; erros: number }>;
  /** Until every subscriber has `eventos` more deliveries than at the last `contar`, an error, or `ms`. */
  esperar(eventos: number, ms: number): Promise<{ n: number; erros: number }>;
  /** Every delivery so far. */
  recepcao(): Promise<Recepcao>;
}

/** The deliveries of `assinantes` subscribers held in this process. */
export function receptorLocal(rec: Recepcao, assinantes: number): Receptor {
  let marca = rec.n;
  return {
    contar: async () => {
      marca = rec.n;
      return { n: rec.n, erros: rec.erros };
    },
    esperar: async (eventos, ms) => {
      await rec.esperar(marca + assinantes * eventos, ms);
      return { n: rec.n, erros: rec.erros };
    },
    recepcao: async () => rec,
  };
}

/** One connection of subscribers. */
export interface Conexao {
  terminate(): void;
}

const ID = Buffer.from('{"id":"');
/** What follows a `next` frame's id (its closing quote included) up to the cursor's digits. */
const ATE_O_CURSOR = Buffer.from('","type":"next","payload":{"data":{"eventosTramites":{"cursor":"');
const ASPAS = 0x22;

/** Whether `data` holds `texto` at `em` (a byte loop: a native compare per frame costs more for so few bytes). */
function temEm(data: Buffer, texto: Buffer, em: number): boolean {
  if (data.length < em + texto.length) return false;
  for (let k = 0; k < texto.length; k++) if (data[em + k] !== texto[k]) return false;
  return true;
}

/** The decimal number in `data` from `em` up to a quote: its value and where the quote is, or -1. */
let fimDoNumero = -1;
function numeroAte(data: Buffer, em: number): number {
  let v = 0;
  let i = em;
  for (; i < data.length && data[i] !== ASPAS; i++) {
    const d = data[i]! - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  fimDoNumero = i > em && i < data.length && data[i] === ASPAS ? i : -1;
  return v;
}

/** The subscription id's number of the last `next` frame `lerNext` read. */
let idLido = 0;

/**
 * The seq of a `next` frame of this bench's subscription, read in place (no string, no parse), its
 * subscription id's number (the ids this client gives are decimal) in `idLido`; -1 when the frame is laid out otherwise.
 */
function lerNext(data: Buffer): number {
  if (!temEm(data, ID, 0)) return -1;
  idLido = numeroAte(data, ID.length);
  if (fimDoNumero < 0 || !temEm(data, ATE_O_CURSOR, fimDoNumero)) return -1;
  const seq = numeroAte(data, fimDoNumero + ATE_O_CURSOR.length);
  return fimDoNumero < 0 ? -1 : seq;
}

/** One graphql-transport-ws connection with `quantas` subscriptions (ids 1…quantas) to QUERY, each delivery into `rec()`. */
function abrir(url: string, token: string, rec: () => Recepcao): Promise<{ conexao: Conexao; assinar: (quantas: number) => void }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let abertas = 0;
    let reconhecida = false;
    const conexao: Conexao = { terminate: () => socket.terminate() };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('error', (e) => {
      if (reconhecida) rec().falhar(e);
      else {
        socket.terminate();
        reject(e);
      }
    });
    socket.on('close', (code, reason) => {
      const erro = { code, reason: String(reason) };
      if (!reconhecida) reject(new Error(`closed before connection_ack: ${JSON.stringify(erro)}`));
      else if (code !== 1005 && code !== 1006) rec().falhar(erro); // 1005/1006: this side's terminate
    });
    socket.on('message', (data: Buffer, binario: boolean) => {
      const t = agora();
      const seq = binario ? -1 : lerNext(data);
      if (seq >= 0 && idLido >= 1 && idLido <= abertas) {
        rec().registrar(seq, t);
        return;
      }
      let m: { type?: string; id?: string; payload?: unknown };
      try {
        m = JSON.parse(String(data));
      } catch {
        rec().falhar(`not JSON: ${String(data).slice(0, 200)}`);
        return;
      }
      if (m.type === 'connection_ack' && !reconhecida) {
        reconhecida = true;
        resolve({
          conexao,
          assinar: (quantas) => {
            for (let k = 0; k < quantas; k++) {
              socket.send(JSON.stringify({ id: String(++abertas), type: 'subscribe', payload: { query: QUERY } }));
            }
          },
        });
      } else if (m.type === 'ping') socket.send('{"type":"pong"}');
      else if (m.type === 'pong' || m.type === 'complete') return;
      else rec().falhar(m.type === 'next' || m.type === 'error' ? (m.payload ?? m) : m);
    });
  });
}

/** `assinaturas` subscriptions over ceil(assinaturas / porConexao) connections, opened `lote` at a time. */
export async function conectar(
  url: string,
  token: string,
  assinaturas: number,
  porConexao: number,
  rec: () => Recepcao,
  prazo: number,
): Promise<Conexao[]> {
  const wsUrl = url.replace(/^http/, 'ws');
  const conexoes: Conexao[] = [];
  const total = Math.ceil(assinaturas / porConexao);
  const LOTE = 250;
  let restantes = assinaturas;
  try {
    for (let feitas = 0; feitas < total; feitas += LOTE) {
      if (Date.now() > prazo) throw new Error(`connecting took too long (${feitas}/${total} connections at the deadline)`);
      const lote = Math.min(LOTE, total - feitas);
      const abertas = await Promise.all(
        Array.from({ length: lote }, async () => {
          const aberta = await abrir(wsUrl, token, rec);
          conexoes.push(aberta.conexao);
          return aberta;
        }),
      );
      for (const { assinar } of abertas) {
        const aqui = Math.min(porConexao, restantes);
        restantes -= aqui;
        assinar(aqui);
      }
    }
  } catch (error) {
    encerrarClientes(conexoes);
    throw error;
  }
  return conexoes;
}

export function encerrarClientes(conexoes: Conexao[]): void {
  for (const c of conexoes) {
    try {
      c.terminate();
    } catch {
      /* closed */
    }
  }
  conexoes.length = 0;
}
