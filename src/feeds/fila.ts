/**
 * A subscriber's bounded queue, read as an async iterator. The bus pushes; the transport pulls at
 * the pace of the client. A consumer that falls `limite` items behind is ended (it can resume by
 * cursor) instead of growing memory without bound.
 */
import { GraphQLError } from 'graphql';

/** The terminal error of a subscriber that fell behind: coded, so every transport reports it as such. */
export class ConsumidorLento extends GraphQLError {
  constructor(readonly limite: number) {
    super(`Consumidor lento: mais de ${limite} eventos pendentes. Reconecte e retome pelo último cursor.`, {
      extensions: { code: 'SLOW_CONSUMER', limite },
    });
  }
}

/** The terminal error of every subscription when its instance shuts down. */
export class ServidorEmDesligamento extends GraphQLError {
  constructor() {
    super('Servidor em desligamento: reconecte (a outra instância, se houver) e retome pelo último cursor.', {
      extensions: { code: 'SHUTTING_DOWN' },
    });
  }
}

export class FilaLimitada<T> implements AsyncIterableIterator<T> {
  private readonly itens: T[] = [];
  private espera: ((r: IteratorResult<T>) => void) | null = null;
  private falha: ((e: unknown) => void) | null = null;
  private fim: { erro: Error | null; entregue: boolean } | null = null;

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

  /** True once the queue has ended (for any reason). */
  get encerrada(): boolean {
    return this.fim !== null;
  }

  get pendentes(): number {
    return this.itens.length;
  }

  /** Ends the iteration: after the queued items when `erro` is null, at once otherwise. */
  encerrar(erro: Error | null = null): void {
    if (this.fim) return;
    this.fim = { erro, entregue: false };
    if (erro) this.itens.length = 0;
    this.aoEncerrar();
    if (this.espera && this.itens.length === 0) {
      const [resolver, rejeitar] = [this.espera, this.falha!];
      this.espera = this.falha = null;
      this.fim.entregue = true;
      if (erro) rejeitar(erro);
      else resolver({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.itens.length > 0) return Promise.resolve({ value: this.itens.shift()!, done: false });
    if (this.fim) {
      // The terminal error is delivered once; afterwards the stream is simply done (a transport
      // that keeps pulling after an error must not get it again and again).
      const erro = this.fim.entregue ? null : this.fim.erro;
      this.fim.entregue = true;
      return erro ? Promise.reject(erro) : Promise.resolve({ value: undefined, done: true });
    }
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
