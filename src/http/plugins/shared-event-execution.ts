import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';
import { orgaosDoViewer } from '../../kernel/viewer.js';

/**
 * Live events fan out to thousands of subscribers, most of them asking the same thing. graphql-js
 * would execute the selection once per subscriber per event; this executes it once per event for
 * each (document, variables, viewer class) and hands the same result to every subscriber that shares
 * it. The bus delivers one object per event to all subscribers, so a WeakMap keyed by it forgets
 * each event's results as soon as the event is gone.
 *
 * The viewer class is what resolvers read of the viewer (its agency and roles, e.g. for
 * `acoesPermitidas`): subscribers that differ only in `sub` see the same data.
 */
export function sharedEventExecution(): Plugin<GatewayContext> {
  const resultados = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const fonte = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in fonte)) return fonte;
        const chave = chaveDeExecucao(args);
        return mapear(fonte, (evento) => {
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
        });
      });
    },
  };
}

function chaveDeExecucao(args: ExecutionArgs): string {
  const viewer = (args.contextValue as GatewayContext).viewer;
  // What decides visibility: the agency, every agency an SPE serves (two multi-agency SPEs both have orgaoId null)
  // and the roles. The environment is an argument of the operation, so the document and variables below carry it.
  const classe = viewer
    ? `${viewer.orgaoId ?? '-'}:${[...orgaosDoViewer(viewer)].sort((a, b) => a - b).join('+')}:${[...viewer.papeis].sort().join(',')}`
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
