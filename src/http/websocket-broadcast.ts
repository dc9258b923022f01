/**
 * Live events to thousands of graphql-ws subscribers without one async chain per subscriber per event.
 *
 * Subscriptions that share a (document, variables, viewer class) key (plugins/shared-event-execution.ts)
 * join one group once they have caught up (feeds/assinatura.ts hands them over). A group is one
 * listener on the bus: per event it runs the filter once, the selection once, serialises once, and in
 * one synchronous loop writes each member's frame (its subscription id spliced in) straight to its
 * socket (websocket-writes.ts), corked for the turn. graphql-ws still owns everything else:
 * connection_init, subscribe (parse, validate, authorization, the replay), complete, errors and close.
 *
 * The filter and the selection are the first member's: the key makes them the same for every member.
 * Events go out in seq order: while one event's execution is pending (a resolver that reads the
 * database), the next ones wait behind it. A member gets only events after the seq it had caught up to.
 * A member whose socket holds more than its `limiteFila` unflushed frames is ended as a slow consumer
 * (its subscription closes the connection with 4430, as before).
 */
import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import type { ComSeq, Ouvinte } from '../feeds/barramento.js';
import type { AdesaoAoVivo, DifusaoAoVivo } from '../feeds/assinatura.js';
import { ConsumidorLento } from '../feeds/fila.js';
import { nextFrameBody, nextFrameHead, type SharedFrames } from './websocket-writes.js';

/** Runs an event's selection for a group (the result is shared by every member). */
export type ExecutarEvento<E> = (evento: E) => ExecutionResult | Promise<ExecutionResult>;

/** One graphql-ws subscription's way into a group, in its GraphQL context (websocket.ts puts it there). */
export interface DestinoAoVivo {
  aderir<E extends ComSeq>(chave: string, executar: ExecutarEvento<E>): DifusaoAoVivo<E>;
}

export interface DifusaoWebSocket {
  /** The destination of the subscription `id` on `socket`. */
  destino(socket: WebSocket, id: string): DestinoAoVivo;
  /** Members in groups now (for tests and the metrics endpoint). */
  readonly membros: number;
  /** Broadcast groups now (subscribers that share one execution per event). */
  readonly grupos: number;
}

interface Membro<E extends ComSeq> {
  socket: WebSocket;
  head: Buffer;
  adesao: AdesaoAoVivo<E>;
  /** Frames written and not yet flushed. */
  pendentes: number;
  escrito: () => void;
}

export function difusaoWebSocket({
  frames,
  paraOCliente,
}: {
  frames: SharedFrames;
  /** What graphql-ws's `onNext` does to a result before it is sent (websocket.ts). */
  paraOCliente: (result: ExecutionResult) => ExecutionResult;
}): DifusaoWebSocket {
  const grupos = new Map<string, Grupo<ComSeq>>();
  let membros = 0;

  class Grupo<E extends ComSeq> implements Ouvinte<E> {
    private readonly membros = new Set<Membro<E>>();
    private readonly espera: E[] = [];
    private ocupado = false;
    private sair: (() => void) | null = null;
    private primeira: AdesaoAoVivo<E> | null = null;

    constructor(
      private readonly chave: string,
      private readonly executar: ExecutarEvento<E>,
    ) {}

    get assinantes(): number {
      return this.membros.size;
    }

    adicionar(membro: Membro<E>): () => void {
      if (!this.primeira) {
        this.primeira = membro.adesao;
        this.sair = membro.adesao.barramento.adicionar(this);
      }
      this.membros.add(membro);
      membros++;
      let saiu = false;
      return () => {
        if (saiu) return;
        saiu = true;
        this.membros.delete(membro);
        membros--;
        if (this.membros.size === 0) {
          this.sair?.();
          grupos.delete(this.chave);
        }
      };
    }

    entregar(evento: E): void {
      if (!this.primeira!.passa(evento)) return;
      if (!this.ocupado) {
        this.processar(evento);
        return;
      }
      // Waiting behind a pending execution counts as pending for every member, as in its own queue.
      this.espera.push(evento);
      for (const membro of this.membros) {
        if (membro.pendentes + this.espera.length > membro.adesao.limiteFila) this.lento(membro);
      }
    }

    encerrar(erro: Error): void {
      for (const membro of [...this.membros]) membro.adesao.falhar(erro);
    }

    private processar(evento: E): void {
      let resultado: ExecutionResult | Promise<ExecutionResult>;
      try {
        resultado = this.executar(evento);
      } catch (erro) {
        resultado = Promise.reject(erro);
      }
      if (!(resultado instanceof Promise)) {
        this.escrever(evento, resultado);
        return;
      }
      this.ocupado = true;
      resultado
        .catch((erro: unknown) => ({ errors: [erro as never] }) as ExecutionResult)
        .then((r) => {
          try {
            this.escrever(evento, r);
          } finally {
            this.ocupado = false;
            const proximo = this.espera.shift();
            if (proximo) this.processar(proximo);
          }
        });
    }

    private lento(membro: Membro<E>): void {
      membro.adesao.falhar(new ConsumidorLento(membro.adesao.limiteFila));
    }

    private escrever(evento: E, resultado: ExecutionResult): void {
      if (this.membros.size === 0) {
        this.espera.length = 0; // nobody left to write to
        return;
      }
      const body = nextFrameBody(frames.json(paraOCliente(resultado)));
      for (const membro of this.membros) {
        if (evento.seq <= membro.adesao.depoisDe) continue;
        if (membro.pendentes >= membro.adesao.limiteFila) {
          this.lento(membro);
          continue;
        }
        if (frames.writeNext(membro.socket, membro.head, body, membro.escrito)) membro.pendentes++;
      }
    }
  }

  return {
    destino(socket, id) {
      return {
        aderir<E extends ComSeq>(chave: string, executar: ExecutarEvento<E>): DifusaoAoVivo<E> {
          return {
            entrar(adesao) {
              let grupo = grupos.get(chave) as Grupo<E> | undefined;
              if (!grupo) {
                grupo = new Grupo<E>(chave, executar);
                grupos.set(chave, grupo as unknown as Grupo<ComSeq>);
              }
              const membro: Membro<E> = {
                socket,
                head: nextFrameHead(id),
                adesao,
                pendentes: 0,
                escrito: () => {
                  membro.pendentes--;
                },
              };
              return grupo.adicionar(membro);
            },
          };
        },
      };
    },
    get membros() {
      return membros;
    },
    get grupos() {
      return grupos.size;
    },
  };
}
