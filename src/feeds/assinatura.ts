/**
 * A subscription's event stream: first the committed events after the client's cursor, read from
 * the log page by page at the client's pace; then the live events the bus delivers. The bus
 * listener is attached before the replay's upper bound is taken, in the same synchronous step, so
 * every event lands exactly once: from the log (seq <= bound) or from the bus (seq > bound).
 *
 * A transport that can write one event to many subscribers at once (a broadcast) may take over the
 * live part: once the replay is over and the queue is empty, at the subscriber's next pull, its own
 * listener is swapped for the broadcast in one synchronous step, handing over the seq it has
 * everything up to, so the broadcast delivers exactly the events after it.
 */
import type { Barramento, ComSeq } from './barramento.js';
import { FilaLimitada } from './fila.js';
import { runAt } from './long-timeout.js';

export interface OpcoesAssinatura<E extends ComSeq> {
  barramento: Barramento<E>;
  /** Whether this subscriber receives an event (its filter and its viewer's right to read it). */
  passa(evento: E): boolean;
  /** Committed events with depoisDe < seq <= ate that may pass, in seq order, at most `limite`. */
  lerHistorico(depoisDe: number, ate: number, limite: number): Promise<E[]>;
  /** Resume after this seq; null starts with the next live event. */
  aPartirDe: number | null;
  limiteFila: number;
  /** Ends the stream with this error at this instant (the token's expiry). */
  expiresAt?: Date | null;
  erroExpiracao?: () => Error;
  /** Called once when the stream ends with an error (slow consumer, expired token, shutdown). */
  aoFalhar?: (erro: Error) => void;
}

/** What a caught-up subscriber hands to a broadcast. */
export interface AdesaoAoVivo<E extends ComSeq> {
  barramento: Barramento<E>;
  passa(evento: E): boolean;
  /** The subscriber has had every event up to this seq: the broadcast delivers the ones after it. */
  depoisDe: number;
  /** Events it may have unwritten before it is a slow consumer. */
  limiteFila: number;
  /** Ends the subscriber with this error (slow consumer, shutdown), reported once as its own stream would. */
  falhar(erro: Error): void;
}

/** Delivers live events to subscribers that joined it; `entrar` answers how to leave. */
export interface DifusaoAoVivo<E extends ComSeq> {
  entrar(adesao: AdesaoAoVivo<E>): () => void;
}

export interface AssinaturaDeEventos<E extends ComSeq> extends AsyncIterableIterator<E> {
  /** Hands the live part to `difusao` once the subscriber has caught up (see above). */
  entregarAoVivoPor(difusao: DifusaoAoVivo<E>): void;
}

const PAGINA_HISTORICO = 200;

export function assinarEventos<E extends ComSeq>(opcoes: OpcoesAssinatura<E>): AssinaturaDeEventos<E> {
  const { barramento, passa } = opcoes;
  let removerOuvinte = () => {};
  let cancelarExpiracao = () => {};
  const aoVivo = new FilaLimitada<E>(opcoes.limiteFila, () => {
    removerOuvinte();
    cancelarExpiracao();
  });
  /** Ends the stream with `erro` unless it has ended already: the error is reported once. */
  const falhar = (erro: Error) => {
    if (aoVivo.encerrada) return;
    aoVivo.encerrar(erro);
    opcoes.aoFalhar?.(erro);
  };

  const limite = barramento.posicao;
  // Live events start after the replay's bound, or after the client's cursor when the client is
  // ahead of this bus (a cursor a mutation just returned, or one from another instance).
  const aoVivoDepoisDe = Math.max(limite, opcoes.aPartirDe ?? limite);
  removerOuvinte = barramento.adicionar({
    entregar(evento) {
      if (evento.seq <= aoVivoDepoisDe || !passa(evento) || aoVivo.encerrada) return;
      if (!aoVivo.push(evento) && aoVivo.erro) opcoes.aoFalhar?.(aoVivo.erro);
    },
    encerrar: falhar,
    // Half its queue per turn: a subscriber that keeps up empties it between turns, with room to spare.
    porVolta: Math.max(1, Math.floor(opcoes.limiteFila / 2)),
  });
  if (opcoes.expiresAt && opcoes.erroExpiracao) {
    const erroExpiracao = opcoes.erroExpiracao;
    // Clamped and re-armed: a token valid for more than ~24.9 days still expires on time.
    cancelarExpiracao = runAt(opcoes.expiresAt, () => falhar(erroExpiracao()));
  }

  let posicaoHistorico = opcoes.aPartirDe ?? limite;
  let pagina: E[] = [];
  let historicoAcabou = posicaoHistorico >= limite;
  let difusao: DifusaoAoVivo<E> | null = null;

  return {
    entregarAoVivoPor(d) {
      difusao = d;
    },
    async next(): Promise<IteratorResult<E>> {
      while (!historicoAcabou && pagina.length === 0) {
        const lidos = await opcoes.lerHistorico(posicaoHistorico, limite, PAGINA_HISTORICO);
        if (lidos.length < PAGINA_HISTORICO) historicoAcabou = true;
        if (lidos.length > 0) posicaoHistorico = lidos[lidos.length - 1]!.seq;
        pagina = lidos.filter(passa);
      }
      if (pagina.length > 0) return { value: pagina.shift()!, done: false };
      if (difusao && aoVivo.pendentes === 0 && !aoVivo.encerrada) {
        // Caught up: everything the bus delivered so far (up to its position) reached this subscriber
        // through its own listener and the transport has pulled it; the broadcast takes the rest.
        const tomador = difusao;
        difusao = null;
        removerOuvinte();
        removerOuvinte = tomador.entrar({
          barramento,
          passa,
          depoisDe: Math.max(aoVivoDepoisDe, barramento.posicao),
          limiteFila: opcoes.limiteFila,
          falhar,
        });
      }
      // After a hand-off this waits until the stream ends (unsubscribe, error).
      return aoVivo.next();
    },
    return(): Promise<IteratorResult<E>> {
      historicoAcabou = true;
      pagina = [];
      return aoVivo.return();
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
