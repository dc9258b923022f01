import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries and mutations execute through graphql-jit: each document is compiled once into a function
 * that walks the selection without re-reading the AST per field and row (the compiled query is kept
 * in a WeakMap by document, which yoga's bounded parse cache hands out per query text). Only the
 * execute hook is installed: subscriptions stay on graphql-js, and live events are executed once per
 * broadcast group by shared-event-execution.ts.
 *
 * Mutations were kept off it for a while: through PostgreSQL restarts with writes in flight
 * (test/chaos-postgres.test.ts) compiled mutations were accepted 4 of 300 times against 184
 * interpreted. That was one run each of a test that collapsed under load on either executor, not a
 * difference in the error path. Its client started 100 mutations a second whatever the gateway took
 * and retried every retryable answer 200 ms later: on a busy machine hundreds queued, answers passed
 * the execution deadline, and the pool's connections sat idle in transaction waiting on a CPU-starved
 * gateway. Re-run with that client at load 13-21: graphql-js 39 and 300 of 300, jit 0 and 25 of 300.
 * With the test's client bounded (32 in flight, backoff): 300 of 300 on both, with 77 and 78
 * retryable answers. The error path is the same: a resolver's throw or rejected promise becomes
 * graphql-jit's GraphQLError with `originalError` (and the original's extensions), so the masking
 * in app.ts finds the driver's code through databaseFault as it does under graphql-js; the deadline
 * wraps this execute function (it is installed after this plugin), so an answer is always written;
 * test/database-faults.test.ts pins a lost connection's answer (DATABASE_UNAVAILABLE, retryable)
 * under whichever executor runs. Gateway CPU per `iniciarTramite` (bench/cpu-mutacoes.ts, same
 * rounds): 8.0 ms compiled vs 8.5 interpreted.
 *
 * What differs from graphql-js: graphql-jit takes no abort signal, so after the execution deadline
 * (execution-deadline.ts, which races the execution and answers at once) resolvers already started
 * run to their end instead of the executor stopping between fields; each driver call stays bounded
 * by the statement timeouts. For a mutation the root field's transaction goes on under both (its
 * resolver is running when the deadline fires); a document with several root mutation fields runs
 * the later ones too, where graphql-js would not start them: each is its own transaction, and the
 * retry with the same chaveIdempotencia answers each one's first result. Resolve infos carry a new
 * path object per resolver call, which is why the selection mapper keys its per-request state by
 * response position (patches/@pothos+selection-mapper).
 */
export function compiledExecution(): Plugin {
  const { onExecute } = useGraphQlJit(
    {},
    {
      enableIf: ({ document, operationName }) => getOperationAST(document, operationName)?.operation !== 'subscription',
      // A document that does not compile answers with the compiler's errors as its result.
      onError: () => {},
    },
  );
  return { onExecute };
}
