import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries execute through graphql-jit: each document is compiled once into a function
 * that walks the selection without re-reading the AST per field and row (the compiled query is kept
 * in a WeakMap by document, which yoga's bounded parse cache hands out per query text).
 *
 * Mutations and subscriptions are left to graphql-js. A mutation is one root field whose work is its
 * transaction, so compiling gains it little, and under PostgreSQL restarts with writes in flight
 * (test/chaos-postgres.test.ts) compiled mutations recovered far worse than interpreted ones (4 of
 * 300 accepted against 184 in the same conditions; the cause is not yet known). Only the execute
 * hook is installed: live events are executed once per broadcast group by shared-event-execution.ts.
 *
 * What differs from graphql-js: graphql-jit takes no abort signal, so after the execution deadline
 * (execution-deadline.ts, which races the execution and answers at once) resolvers already started
 * run to their end instead of the executor stopping between fields; each driver call stays bounded
 * by the statement timeouts. Resolve infos carry a new path object per resolver call, which is why
 * the selection mapper keys its per-request state by response position (patches/@pothos+selection-mapper).
 */
export function compiledExecution(): Plugin {
  const { onExecute } = useGraphQlJit(
    {},
    {
      enableIf: ({ document, operationName }) => getOperationAST(document, operationName)?.operation === 'query',
      // A document that does not compile answers with the compiler's errors as its result.
      onError: () => {},
    },
  );
  return { onExecute };
}
