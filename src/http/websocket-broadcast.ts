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
 * Each event's selection starts as soon as the bus delivers it, without waiting for the previous one
 * (a resolver that reads the database); results are written in seq order, every ready one at the end
 * of the bus's turn, all the frames of a socket's members in one write (a connection may hold several
 * subscriptions of one key: one system call per socket per turn). A member gets only events after the seq
 * it had caught up to. A member whose socket holds more than its `limiteFila` unflushed frames of the
 * group (per member: the most any member of the socket got in each write since its buffer was last
 * empty), counting those waiting behind a pending execution, is ended as a slow consumer (its
 * subscription closes the connection with 4430, as before).
 */
import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import type { ComSeq, Ouvinte } from '../feeds/barramento.js';
import type { AdesaoAoVivo, DifusaoAoVivo } from '../feeds/assinatura.js';
import { ConsumidorLento } from '../feeds/fila.js';
import { nextFrameBody, nextFrameHead, nextFrames, type NextFrames, type NextPart, type SharedFrames } from './websocket-writes.js';

/** A member's frames before its first write. */
const VAZIO: NextFrames = { bytes: Buffer.alloc(0), heads: [] };

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
  head: Buffer;
  adesao: AdesaoAoVivo<E>;
  /** Its frames of the turn being written (this object is reused: nothing is allocated per member per write). */
  parte: NextPart;
}

/** A socket's members in a group, and how many of their frames it has not flushed yet. */
interface DoSocket<E extends ComSeq> {
  socket: WebSocket;
  membros: Array<Membro<E>>;
  /**
   * Frames per member written since the socket last had nothing queued (its `bufferedAmount` was 0): what a
   * member's `limiteFila` is checked against. Read at each write instead of a callback per write: nearly every
   * write leaves at once, and the loop then costs the socket its system call and little else.
   */
  pendentes: number;
}

/** The frames a socket holds unflushed: none once its buffer is empty. */
function pendentesDe<E extends ComSeq>(doSocket: DoSocket<E>): number {
  if (doSocket.pendentes > 0 && doSocket.socket.bufferedAmount === 0) doSocket.pendentes = 0;
  return doSocket.pendentes;
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

  /** An event of a group on its way out: its result once its execution has finished. */
  interface Saida<E> {
    evento: E;
    resultado: ExecutionResult | null;
  }

  class Grupo<E extends ComSeq> implements Ouvinte<E> {
    /** The members, by socket: a socket's members are written in one write. */
    private readonly porSocket = new Map<WebSocket, DoSocket<E>>();
    private quantos = 0;
    /** Events not yet written, in seq order. */
    private readonly fila: Array<Saida<E>> = [];
    private escritaAgendada = false;
    private sair: (() => void) | null = null;
    private primeira: AdesaoAoVivo<E> | null = null;
    /** Reused by every write (writeNext copies what it needs before returning). */
    private readonly partes: NextPart[] = [];

    constructor(
      private readonly chave: string,
      private readonly executar: ExecutarEvento<E>,
    ) {}

    get assinantes(): number {
      return this.quantos;
    }

    /** Half a member's queue per turn, as a subscriber's own listener (feeds/assinatura.ts). */
    get porVolta(): number {
      return Math.max(1, Math.floor((this.primeira?.limiteFila ?? 2) / 2));
    }

    adicionar(socket: WebSocket, membro: Membro<E>): () => void {
      if (!this.primeira) {
        this.primeira = membro.adesao;
        this.sair = membro.adesao.barramento.adicionar(this);
      }
      let doSocket = this.porSocket.get(socket);
      if (!doSocket) {
        doSocket = { socket, membros: [], pendentes: 0 };
        this.porSocket.set(socket, doSocket);
      }
      const deste = doSocket;
      deste.membros.push(membro);
      this.quantos++;
      membros++;
      let saiu = false;
      return () => {
        if (saiu) return;
        saiu = true;
        deste.membros.splice(deste.membros.indexOf(membro), 1);
        if (deste.membros.length === 0 && this.porSocket.get(socket) === deste) this.porSocket.delete(socket);
        this.quantos--;
        membros--;
        if (this.quantos === 0) {
          this.sair?.();
          grupos.delete(this.chave);
        }
      };
    }

    entregar(evento: E): void {
      if (!this.primeira!.passa(evento)) return;
      const saida: Saida<E> = { evento, resultado: null };
      let resultado: ExecutionResult | Promise<ExecutionResult>;
      try {
        resultado = this.executar(evento);
      } catch (erro) {
        resultado = { errors: [erro as never] };
      }
      if (resultado instanceof Promise) {
        resultado
          .catch((erro: unknown) => ({ errors: [erro as never] }) as ExecutionResult)
          .then((r) => {
            saida.resultado = r;
            this.agendarEscrita();
          });
      } else saida.resultado = resultado;
      this.fila.push(saida);
      this.agendarEscrita();
      // Waiting behind a pending execution counts as pending for every member, as in its own queue.
      if (this.fila[0]!.resultado === null) {
        const lentos: Array<Membro<E>> = [];
        for (const doSocket of this.porSocket.values()) {
          const pendentes = pendentesDe(doSocket);
          for (const membro of doSocket.membros) if (pendentes + this.fila.length > membro.adesao.limiteFila) lentos.push(membro);
        }
        for (const membro of lentos) this.lento(membro);
      }
    }

    encerrar(erro: Error): void {
      for (const doSocket of [...this.porSocket.values()]) for (const membro of [...doSocket.membros]) membro.adesao.falhar(erro);
    }

    /** Once the bus's synchronous delivery is over: the events of its turn leave together. */
    private agendarEscrita(): void {
      if (this.escritaAgendada) return;
      this.escritaAgendada = true;
      queueMicrotask(() => {
        this.escritaAgendada = false;
        this.escrever();
      });
    }

    private lento(membro: Membro<E>): void {
      membro.adesao.falhar(new ConsumidorLento(membro.adesao.limiteFila));
    }

    /**
     * Writes the ready events at the head of the queue, in seq order, one write per socket. Per socket it
     * allocates only what the write itself needs (the copy it hands to the stream): one event to 10,000
     * sockets is 10,000 system calls, and everything else in this loop is added to each of them.
     */
    private escrever(): void {
      let prontos = 0;
      while (prontos < this.fila.length && this.fila[prontos]!.resultado !== null) prontos++;
      if (prontos === 0) return;
      const lote = this.fila.splice(0, prontos);
      if (this.quantos === 0) {
        this.fila.length = 0; // nobody left to write to
        return;
      }
      const bodies = lote.map((s) => nextFrameBody(frames.json(paraOCliente(s.resultado!))));
      // Laid out once per (first event a member gets, head length): nearly every member gets them all.
      const leiautes = new Map<number, NextFrames>();
      const partes = this.partes;
      // Ended after the loop: ending a member takes it out of the lists being walked.
      let lentos: Array<Membro<E>> | null = null;
      for (const doSocket of this.porSocket.values()) {
        const pendentes = pendentesDe(doSocket);
        let maximo = 0;
        for (const membro of doSocket.membros) {
          let desde = 0;
          while (desde < lote.length && lote[desde]!.evento.seq <= membro.adesao.depoisDe) desde++;
          const quantos = lote.length - desde;
          if (quantos === 0) continue;
          if (pendentes + quantos > membro.adesao.limiteFila) {
            lentos ??= [];
            lentos.push(membro);
            continue;
          }
          const chave = desde * 65_536 + membro.head.length;
          let leiaute = leiautes.get(chave);
          if (!leiaute) {
            leiaute = nextFrames(membro.head.length, desde === 0 ? bodies : bodies.slice(desde));
            leiautes.set(chave, leiaute);
          }
          membro.parte.frames = leiaute;
          partes.push(membro.parte);
          if (quantos > maximo) maximo = quantos;
        }
        if (partes.length === 0) continue;
        if (frames.writeNext(doSocket.socket, partes) && doSocket.socket.bufferedAmount > 0) doSocket.pendentes += maximo;
        partes.length = 0;
      }
      if (lentos) for (const membro of lentos) this.lento(membro);
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
              const head = nextFrameHead(id);
              return grupo.adicionar(socket, { head, adesao, parte: { head, frames: VAZIO } });
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
