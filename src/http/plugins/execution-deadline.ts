import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ExecutionDeadlineOptions {
  /** How long a query may execute before it answers EXECUTION_TIMEOUT. */
  ms: number;
}

/**
 * A per-request budget for queries: after `ms` the response is EXECUTION_TIMEOUT and the
 * executor's abort signal stops resolving further fields (a statement already running is bounded
 * by PostgreSQL's statement_timeout). Mutations are left to finish: their transaction must commit
 * or roll back whole, and statement_timeout bounds each of its statements. Subscriptions live long.
 */
export function executionDeadline(options: ExecutionDeadlineOptions): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn(async (executionArgs) => {
        const controller = new AbortController();
        const upstream = (executionArgs as { signal?: AbortSignal }).signal;
        const signal = upstream ? AbortSignal.any([upstream, controller.signal]) : controller.signal;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<{ errors: GraphQLError[] }>((resolve) => {
          timer = setTimeout(() => {
            controller.abort(new Error('execution deadline'));
            resolve({
              errors: [
                new GraphQLError(`A consulta excedeu o tempo limite de ${options.ms} ms. Peça menos dados por vez.`, {
                  extensions: { code: 'EXECUTION_TIMEOUT', limitMs: options.ms },
                }),
              ],
            });
          }, options.ms);
        });
        try {
          const execution = Promise.resolve(executeFn({ ...executionArgs, signal } as typeof executionArgs));
          // The late result (or its abort error) is dropped once the deadline has answered.
          execution.catch(() => {});
          return (await Promise.race([execution, deadline])) as never;
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
