/**
 * A subscriber's bounded queue, read as an async iterator. The bus pushes; the transport pulls at
 * the pace of the client. A consumer that falls `limite` items behind is ended (it can resume by
 * cursor) instead of growing memory without bound.
 */
export class ConsumidorLento extends Error {
  constructor(readonly limite: number) {
    super(`Consumidor lento: mais de ${limite} eventos pendentes. Reconecte e retome pelo último cursor.`);
  }
}

export class FilaLimitada<T> implements AsyncIterableIterator<T> {
  private readonly itens: T[] = [];
  private espera: ((r: IteratorResult<T>) => void) | null = null;
  private falha: ((e: unknown) => void) | null = null;
  private fim: { erro: Error | null } | null = null;

  constructor(
    private readonly limite: number,
    private readonly aoEncerrar: () => void,
  ) {}

  /** Returns false once the queue is closed (or just closed for overflow). */
  push(item: T): boolean {
    if (this.fim) return false;
    if (this.espera) {
      const resolver = this.espera;
      this.espera = this.falha = null;
      resolver({ value: item, done: false });
      return true;
    }
    if (this.itens.length >= this.limite) {
      this.encerrar(new ConsumidorLento(this.limite));
      return false;
    }
    this.itens.push(item);
    return true;
  }

  /** Why the queue ended, when it ended with an error. */
  get erro(): Error | null {
    return this.fim?.erro ?? null;
  }

  get pendentes(): number {
    return this.itens.length;
  }

  /** Ends the iteration: after the queued items when `erro` is null, at once otherwise. */
  encerrar(erro: Error | null = null): void {
    if (this.fim) return;
    this.fim = { erro };
    if (erro) this.itens.length = 0;
    this.aoEncerrar();
    if (this.espera && this.itens.length === 0) {
      const [resolver, rejeitar] = [this.espera, this.falha!];
      this.espera = this.falha = null;
      if (erro) rejeitar(erro);
      else resolver({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.itens.length > 0) return Promise.resolve({ value: this.itens.shift()!, done: false });
    if (this.fim) return this.fim.erro ? Promise.reject(this.fim.erro) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.espera = resolve;
      this.falha = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.encerrar();
    this.itens.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
