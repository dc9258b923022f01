import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AssinaturaDeEventos } from '../../feeds/assinatura.js';
import type { ComSeq } from '../../feeds/barramento.js';
import type { GatewayContext } from '../../schema/context.js';
import type { DestinoAoVivo } from '../websocket-broadcast.js';

export interface SharedEventExecutionOptions {
  /** Yoga's error masking: results written by the broadcast skip envelop's result hooks, so they get it here. */
  maskError: (error: GraphQLError) => GraphQLError;
}

/**
 * Live events fan out to thousands of subscribers, most of them asking the same thing. graphql-js
 * would execute the selection once per subscriber per event; this executes it once per event for
 * each (document, variables, viewer class) and hands the same result to every subscriber that shares
 * it. The bus delivers one object per event to all subscribers, so a WeakMap keyed by it forgets
 * each event's results as soon as the event is gone.
 *
 * Over graphql-ws (the context carries `aoVivoWs`), a subscription that has caught up leaves this
 * per-subscriber path and joins its key's broadcast group (websocket-broadcast.ts): per event one
 * execution, one serialisation, one write loop over the members' sockets.
 *
 * The viewer class is what resolvers and feed filters read of the viewer: its agency, roles, the
 * agencies its SPE serves, and the deployment's environment (what an operation without `ambiente`
 * is about). Subscribers that differ only in `sub` see the same data.
 */
export function sharedEventExecution({ maskError }: SharedEventExecutionOptions): Plugin<GatewayContext> {
  const resultados = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
  const executarUmaVez = (args: ExecutionArgs, chave: string, evento: unknown) => {
    if (typeof evento !== 'object' || evento === null) return execute({ ...args, rootValue: evento });
    let porChave = resultados.get(evento);
    if (!porChave) {
      porChave = new Map();
      resultados.set(evento, porChave);
    }
    let resultado = porChave.get(chave);
    if (!resultado) {
      resultado = execute({ ...args, rootValue: evento });
      porChave.set(chave, resultado);
    }
    return resultado;
  };
  const mascarar = (r: ExecutionResult): ExecutionResult =>
    r.errors ? { ...r, errors: r.errors.map((e) => maskError(e as GraphQLError)) } : r;
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const fonte = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in fonte)) return fonte;
        const chave = chaveDeExecucao(args);
        const destino = (args.contextValue as { aoVivoWs?: DestinoAoVivo }).aoVivoWs;
        if (destino && typeof (fonte as Partial<AssinaturaDeEventos<ComSeq>>).entregarAoVivoPor === 'function') {
          (fonte as AssinaturaDeEventos<ComSeq>).entregarAoVivoPor(
            destino.aderir(chave, (evento) => {
              const r = executarUmaVez(args, chave, evento);
              return r instanceof Promise ? r.then(mascarar) : mascarar(r);
            }),
          );
        }
        return mapear(fonte, (evento) => executarUmaVez(args, chave, evento));
      });
    },
  };
}

function chaveDeExecucao(args: ExecutionArgs): string {
  const { viewer, ambientePadrao } = args.contextValue as GatewayContext;
  // What decides visibility and acoesPermitidas: the agency, every agency an SPE serves (two multi-agency SPEs both
  // have orgaoId null), the roles, and the environment an operation defaults to.
  const classe = viewer
    ? [
        viewer.orgaoId ?? '-',
        [...viewer.papeis].sort().join(','),
        viewer.spe ? [...viewer.spe.orgaoIds].sort((a, b) => a - b).join(',') : '-',
        ambientePadrao,
      ].join(':')
    : 'anonimo';
  return `${classe}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}|${print(args.document)}`;
}

/** Maps an async iterable, passing `return` through so an unsubscribe releases the source at once. */
function mapear<T, U>(fonte: AsyncIterable<T>, fn: (item: T) => U | Promise<U>): AsyncIterableIterator<U> {
  const it = fonte[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await it.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: await fn(r.value) };
    },
    async return() {
      await it.return?.();
      return { done: true, value: undefined };
    },
    async throw(erro?: unknown) {
      if (it.throw) await it.throw(erro);
      throw erro;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
