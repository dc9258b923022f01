import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, validate, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryCostOptions {
  /** The highest cost an operation may have (see the cost model in src/schema/builder.ts). */
  maxCost: number;
}

/**
 * Prices each operation with @pothos/plugin-complexity's calculator (fragments memoised: linear)
 * and refuses one above `maxCost` with QUERY_TOO_COSTLY and the computed cost. It runs at execute
 * time, not as a cached validation rule, because the price depends on variables (`first: $n`).
 */
export function queryCost(options: QueryCostOptions): Plugin {
  function refusal(args: ExecutionArgs): GraphQLError | null {
    let cost = 0;
    const rule = createComplexityRule({
      variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
      operationName: args.operationName ?? undefined,
      context: args.contextValue as object,
      validate: (result) => {
        cost = result.complexity;
      },
    });
    const errors = validate(args.schema, args.document, [rule]);
    // Variable errors are reported by execution itself with their own codes.
    if (errors.length > 0 || cost <= options.maxCost) return null;
    return new GraphQLError(`Consulta cara demais: custo ${cost} (máximo ${options.maxCost}). Peça páginas menores ou menos níveis.`, {
      extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: options.maxCost },
    });
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
