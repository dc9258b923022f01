/**
 * One per gateway instance and per event log: LISTENs on the log's channel, reads the committed
 * events after the last one it delivered, and fans them out in process. NOTIFY only says "there is
 * more"; the log is the truth. A NOTIFY lost while the connection was down is covered by the
 * catch-up on reconnect and by a slow poll, so subscribers miss nothing.
 */
import type { DatabaseHandle } from '../db/client.js';
import type { Logger } from '../logger.js';
import { ServidorEmDesligamento } from './fila.js';

export interface ComSeq {
  seq: number;
}

export interface FonteEventos<E extends ComSeq> {
  canal: string;
  /** Committed events with seq > `depoisDe`, in seq order, at most `limite`. */
  ler(depoisDe: number, limite: number): Promise<E[]>;
  /** The highest committed seq (0 when the log is empty). */
  ultimoSeq(): Promise<number>;
}

export interface Ouvinte<E> {
  entregar(evento: E): void;
  /** The bus stops (shutdown): the subscriber ends with this error. */
  encerrar?(erro: Error): void;
  /** How many subscribers this listener delivers to (a broadcast group: its members); 1 when absent. */
  readonly assinantes?: number;
}

export interface OpcoesBarramento {
  pollMs?: number;
  lote?: number;
  backoffMaximoMs?: number;
}

export class Barramento<E extends ComSeq> {
  private ultimo = 0;
  private readonly ouvintes = new Set<Ouvinte<E>>();
  private lendo: Promise<void> | null = null;
  private deNovo = false;
  private saudavel = false;
  private parado = false;
  private timer: NodeJS.Timeout | null = null;
  private falhas = 0;
  private pararEscuta: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly fonte: FonteEventos<E>,
    private readonly logger: Logger,
    private readonly opcoes: OpcoesBarramento = {},
  ) {}

  /** Seq of the last event delivered: a subscription that starts now starts after it. */
  get posicao(): number {
    return this.ultimo;
  }

  /** False while the database is unreachable (then /ready says not ready). */
  get pronto(): boolean {
    return this.saudavel && !this.parado;
  }

  get assinantes(): number {
    let n = 0;
    for (const ouvinte of this.ouvintes) n += ouvinte.assinantes ?? 1;
    return n;
  }

  async iniciar(): Promise<void> {
    this.ultimo = await this.fonte.ultimoSeq();
    this.pararEscuta = await this.database.listen(
      this.fonte.canal,
      () => this.sincronizar(),
      () => this.sincronizar(), // (re)connected: catch up on what was committed meanwhile
    );
    this.saudavel = true;
    this.agendar(this.opcoes.pollMs ?? 1_000);
  }

  async parar(): Promise<void> {
    this.parado = true;
    if (this.timer) clearTimeout(this.timer);
    await this.lendo;
    for (const ouvinte of [...this.ouvintes]) ouvinte.encerrar?.(new ServidorEmDesligamento());
    await this.pararEscuta?.().catch(() => {});
  }

  adicionar(ouvinte: Ouvinte<E>): () => void {
    this.ouvintes.add(ouvinte);
    return () => this.ouvintes.delete(ouvinte);
  }

  /** Reads and delivers everything after the last delivered seq; coalesces concurrent calls. */
  sincronizar(): Promise<void> {
    if (this.lendo) {
      this.deNovo = true;
      return this.lendo;
    }
    this.lendo = this.lerTudo().finally(() => {
      this.lendo = null;
      if (this.deNovo && !this.parado) {
        this.deNovo = false;
        void this.sincronizar();
      }
    });
    return this.lendo;
  }

  private async lerTudo(): Promise<void> {
    const lote = this.opcoes.lote ?? 500;
    try {
      for (;;) {
        const eventos = await this.fonte.ler(this.ultimo, lote);
        for (const evento of eventos) {
          if (this.parado) return;
          this.ultimo = evento.seq;
          for (const ouvinte of this.ouvintes) ouvinte.entregar(evento);
          // One event per turn of the event loop: subscribers' transports write it out before the
          // next one comes, so a burst (a whole page at once) does not fill the queue of a subscriber
          // that keeps up. Only one that cannot write falls `limiteFila` events behind.
          if (this.ouvintes.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (eventos.length < lote) break;
      }
      if (!this.saudavel) this.logger.info({ canal: this.fonte.canal, seq: this.ultimo }, 'event feed reconnected and caught up');
      this.saudavel = true;
      this.falhas = 0;
    } catch (error) {
      if (this.saudavel) this.logger.warn({ canal: this.fonte.canal, err: error }, 'event feed lost the database; retrying with backoff');
      this.saudavel = false;
      this.falhas++;
    }
  }

  /** The safety-net poll; backs off exponentially while the database is down. */
  private agendar(pollMs: number): void {
    if (this.parado) return;
    const espera = this.falhas === 0 ? pollMs : Math.min(this.opcoes.backoffMaximoMs ?? 5_000, 100 * 2 ** this.falhas);
    this.timer = setTimeout(() => {
      void this.sincronizar().finally(() => this.agendar(pollMs));
    }, espera);
    this.timer.unref();
  }
}
