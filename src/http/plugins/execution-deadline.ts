import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { databaseTimeout } from '../../db/faults.js';

export interface ExecutionDeadlineOptions {
  /** How long a query or mutation may execute before it is answered with a coded error. */
  ms: number;
}

/**
 * A per-request budget: after `ms` the client gets its answer and the executor's abort signal stops
 * resolving further fields. The deadline races the whole execution, because a driver call can stay
 * pending with no statement running (a connection lost mid-flight, a query queued in the pool while
 * it reconnects), where statement_timeout does not reach. A query answers EXECUTION_TIMEOUT. A
 * mutation answers DATABASE_TIMEOUT, retryable: its transaction still commits or rolls back whole
 * after the answer, and the retry with the same chaveIdempotencia returns the first result if it
 * committed. Subscriptions live long.
 */
export function executionDeadline(options: ExecutionDeadlineOptions): Plugin {
  const queryTimeout = () =>
    new GraphQLError(`A consulta excedeu o tempo limite de ${options.ms} ms. Peça menos dados por vez.`, {
      extensions: { code: 'EXECUTION_TIMEOUT', limitMs: options.ms },
    });
  const mutationTimeout = () => databaseTimeout(options.ms);
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (operation !== 'query' && operation !== 'mutation') return;
      const timeoutError = operation === 'mutation' ? mutationTimeout : queryTimeout;
      setExecuteFn((executionArgs) => executeWithin(options.ms, timeoutError, executeFn, executionArgs));
    },
  };
}

type ExecuteFn = Parameters<NonNullable<Plugin['onExecute']>>[0]['executeFn'];

async function executeWithin(
  ms: number,
  timeoutError: () => GraphQLError,
  executeFn: ExecuteFn,
  executionArgs: Parameters<ExecuteFn>[0],
): Promise<Awaited<ReturnType<ExecuteFn>>> {
  // The abort signal is made when the executor reads it: graphql-js does, graphql-jit (queries) takes none.
  let controller: AbortController | undefined;
  let signal: AbortSignal | undefined;
  const upstream = (executionArgs as { signal?: AbortSignal }).signal;
  const args = {
    ...executionArgs,
    get signal() {
      if (!signal) {
        controller = new AbortController();
        signal = upstream ? AbortSignal.any([upstream, controller.signal]) : controller.signal;
      }
      return signal;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ errors: GraphQLError[] }>((resolve) => {
    timer = setTimeout(() => {
      controller?.abort(new Error('execution deadline'));
      resolve({ errors: [timeoutError()] });
    }, ms);
  });
  try {
    const execution = Promise.resolve(executeFn(args));
    // The late result (or its abort error) is dropped once the deadline has answered.
    execution.catch(() => {});
    return (await Promise.race([execution, deadline])) as never;
  } finally {
    clearTimeout(timer);
  }
}
