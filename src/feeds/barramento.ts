/**
 * One per gateway instance and per event log: LISTENs on the log's channel, reads the committed
 * events after the last one it delivered, and fans them out in process. NOTIFY only says "there is
 * more"; the log is the truth. A NOTIFY lost while the connection was down is covered by the
 * catch-up on reconnect and by a slow poll, so subscribers miss nothing.
 *
 * Writers take no lock, so a seq may commit after a later one. The bus delivers in seq order only
 * up to its horizon: the `alocado` of a mark (db/log.ts) whose transaction id a later mark's xmin has
 * passed, i.e. a seq below which every writer has finished. A later commit with a lower seq is thus
 * never skipped, and `posicao` is always a position every replay can stop at.
 */
import type { DatabaseHandle } from '../db/client.js';
import type { Marca } from '../db/log.js';
import type { Logger } from '../logger.js';
import { ServidorEmDesligamento } from './fila.js';

export interface ComSeq {
  seq: number;
}

export interface FonteEventos<E extends ComSeq> {
  canal: string;
  /** Committed events with depoisDe < seq <= ate, in seq order, at most `limite`. */
  ler(depoisDe: number, ate: number, limite: number): Promise<E[]>;
  /** A mark on the log (db/log.ts): a new transaction id only when seqs after `desde` were handed out. */
  marcar(desde: number): Promise<Marca>;
}

/** Marks waiting for confirmation, at most: while more wait (a long transaction), no new one is taken. */
const MARCAS_PENDENTES = 32;

/** Events delivered in one turn of the event loop, at most (fewer when a listener's `porVolta` says so). */
const EVENTOS_POR_VOLTA = 64;

/**
 * Reads start at least this long apart per subscriber on the bus (capped at INTERVALO_MAXIMO_MS): about
 * what one socket write costs. A read's events cost one write per subscriber (a broadcast group writes a
 * turn's events to each socket at once), so during a burst of commits spaced a few ms apart, reading at
 * every NOTIFY costs a write per subscriber per event; spaced this way the fan-out takes about half the
 * time at most and a burst's events leave together. An event after a quiet spell is read at once (a read
 * that delivered nothing, such as the safety-net poll, does not count: it wrote nothing); with few
 * subscribers the spacing is nil.
 */
const INTERVALO_POR_ASSINANTE_MS = 0.0025;
const INTERVALO_MAXIMO_MS = 25;

export interface Ouvinte<E> {
  entregar(evento: E): void;
  /** The bus stops (shutdown): the subscriber ends with this error. */
  encerrar?(erro: Error): void;
  /** How many subscribers this listener delivers to (a broadcast group: its members); 1 when absent. */
  readonly assinantes?: number;
  /** How many events it takes in one turn of the event loop and still keeps up (its bounded queue's room). */
  readonly porVolta?: number;
}

export interface OpcoesBarramento {
  pollMs?: number;
  lote?: number;
  backoffMaximoMs?: number;
}

export class Barramento<E extends ComSeq> {
  private ultimo = 0;
  /** Marks not yet passed by an xmin, oldest first (their `alocado` and `xid` both increase). */
  private pendentes: Array<{ alocado: number; xid: bigint }> = [];
  /** The highest confirmed horizon (ahead of `ultimo` only while a read of it failed midway). */
  private confirmado = 0;
  private releitura: NodeJS.Timeout | null = null;
  private esperaReleitura = 0;
  private readonly ouvintes = new Set<Ouvinte<E>>();
  private lendo: Promise<void> | null = null;
  /**
   * When the last read that delivered events began (performance.now()), and the read waiting for its turn, if
   * any. A read that found nothing (the poll, a NOTIFY of a rolled-back seq) wrote nothing: the next may start at once.
   */
  private inicioLeitura = Number.NEGATIVE_INFINITY;
  private adiada: { promessa: Promise<void>; timer: NodeJS.Timeout; soltar: () => void } | null = null;
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
    this.ultimo = await this.horizonteInicial();
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
    if (this.adiada) {
      clearTimeout(this.adiada.timer);
      this.adiada.soltar();
      this.adiada = null;
    }
    if (this.releitura) clearTimeout(this.releitura);
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
    if (this.adiada) return this.adiada.promessa;
    const espera = this.parado
      ? 0
      : this.inicioLeitura + Math.min(INTERVALO_MAXIMO_MS, this.assinantes * INTERVALO_POR_ASSINANTE_MS) - performance.now();
    if (espera > 0) {
      let soltar!: () => void;
      const promessa = new Promise<void>((resolve) => {
        soltar = resolve;
      });
      const timer = setTimeout(() => {
        this.adiada = null;
        void this.sincronizar().finally(soltar);
      }, espera);
      timer.unref();
      this.adiada = { promessa, timer, soltar };
      return promessa;
    }
    this.lendo = this.lerTudo(performance.now()).finally(() => {
      this.lendo = null;
      if (this.deNovo && !this.parado) {
        this.deNovo = false;
        void this.sincronizar();
      }
    });
    return this.lendo;
  }

  /**
   * Where the bus starts: the seqs handed out so far, once every writer holding one has finished
   * (a new subscription starts after them: they were all committed, or rolled back, before it).
   */
  private async horizonteInicial(): Promise<number> {
    const primeira = await this.fonte.marcar(0);
    if (primeira.xid == null) return 0;
    for (let espera = 1; ; espera = Math.min(espera * 2, 100)) {
      const seguinte = await this.fonte.marcar(primeira.alocado);
      if (seguinte.xmin > primeira.xid) return primeira.alocado;
      await new Promise((resolve) => setTimeout(resolve, espera));
    }
  }

  /**
   * Takes a mark and confirms the pending ones an xmin has passed: the highest seq below which every
   * writer has finished. A mark just taken is usually confirmed by the next one, so two at most here.
   */
  private async horizonte(): Promise<number> {
    for (let volta = 0; volta < 2; volta++) {
      const cheio = this.pendentes.length >= MARCAS_PENDENTES;
      const desde = this.pendentes.at(-1)?.alocado ?? Math.max(this.ultimo, this.confirmado);
      const marca = await this.fonte.marcar(cheio ? Number.MAX_SAFE_INTEGER : desde);
      while (this.pendentes.length > 0 && this.pendentes[0]!.xid < marca.xmin)
        this.confirmado = Math.max(this.confirmado, this.pendentes.shift()!.alocado);
      if (marca.xid != null) this.pendentes.push({ alocado: marca.alocado, xid: marca.xid });
      if (this.pendentes.length === 0 || volta === 1) break;
    }
    return Math.max(this.ultimo, this.confirmado);
  }

  /** A mark still waits (a writer that began before it is still open): read again soon, backing off to the poll. */
  private reler(): void {
    if (this.releitura || this.parado) return;
    this.releitura = setTimeout(() => {
      this.releitura = null;
      void this.sincronizar();
    }, this.esperaReleitura);
    this.releitura.unref();
    this.esperaReleitura = Math.min(Math.max(1, this.esperaReleitura * 2), this.opcoes.pollMs ?? 1_000);
  }

  private async lerTudo(inicio: number): Promise<void> {
    const lote = this.opcoes.lote ?? 500;
    try {
      const ate = await this.horizonte();
      if (ate > this.ultimo) this.esperaReleitura = 0;
      while (this.ultimo < ate) {
        const eventos = await this.fonte.ler(this.ultimo, ate, lote);
        if (eventos.length > 0) this.inicioLeitura = inicio;
        const porVolta = this.porVolta();
        for (let i = 0; i < eventos.length; i++) {
          if (this.parado) return;
          const evento = eventos[i]!;
          this.ultimo = evento.seq;
          for (const ouvinte of this.ouvintes) ouvinte.entregar(evento);
          // A few events per turn of the event loop: subscribers' transports write them out (a broadcast
          // group all of them in one write per socket) before the next ones come, so a burst (a whole
          // page at once) does not fill the queue of a subscriber that keeps up. Only one that cannot
          // write falls `limiteFila` events behind. Between turns `ultimo` is what every listener has had.
          if ((i + 1) % porVolta === 0 && this.ouvintes.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (eventos.length < lote) break;
      }
      // Everything up to the horizon is final: the seqs in between that no event holds were rolled back.
      this.ultimo = ate;
      if (this.pendentes.length > 0) this.reler();
      if (!this.saudavel) this.logger.info({ canal: this.fonte.canal, seq: this.ultimo }, 'event feed reconnected and caught up');
      this.saudavel = true;
      this.falhas = 0;
    } catch (error) {
      if (this.saudavel) this.logger.warn({ canal: this.fonte.canal, err: error }, 'event feed lost the database; retrying with backoff');
      this.saudavel = false;
      this.falhas++;
    }
  }

  /** Events per turn: as many as the listener with the least room takes, at most EVENTOS_POR_VOLTA. */
  private porVolta(): number {
    let n = EVENTOS_POR_VOLTA;
    for (const ouvinte of this.ouvintes) if (ouvinte.porVolta != null && ouvinte.porVolta < n) n = Math.max(1, ouvinte.porVolta);
    return n;
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
