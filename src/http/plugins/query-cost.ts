import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, validate, type DocumentNode, type ExecutionArgs, type TypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryCostOptions {
  /** The highest cost an operation may have (see the cost model in src/schema/builder.ts). */
  maxCost: number;
}

/** Prices kept per document: yoga's parse cache hands back the same DocumentNode for the same text. */
const MAX_PRICES_PER_DOCUMENT = 64;

/**
 * Prices each operation with @pothos/plugin-complexity's calculator (fragments memoised: linear)
 * and refuses one above `maxCost` with QUERY_TOO_COSTLY and the computed cost. It runs at execute
 * time, not as a cached validation rule, because the price depends on variables (`first: $n`). The
 * schema's costs read only Int arguments (`first`/`last`, `pageCost` in src/schema/builder.ts), never the
 * context, so a price is remembered per document, operation and Int variables: a client repeating its
 * query, paging with new cursors or sending a mutation with new input pays the walk once.
 */

/** Whether a variable's declared type is `Int` or `Int!`: the only kind of value a cost reads. */
const isInt = (type: TypeNode): boolean =>
  type.kind === Kind.NON_NULL_TYPE ? isInt(type.type) : type.kind === Kind.NAMED_TYPE && type.name.value === 'Int';

/** The names of the operation's Int variables, in declaration order. */
function intVariables(document: DocumentNode, operationName: string | null | undefined): string[] {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    return (definition.variableDefinitions ?? []).filter((v) => isInt(v.type)).map((v) => v.variable.name.value);
  }
  return [];
}

/**
 * What a price depends on besides the document: the operation and its Int variables' values. Null for values that do
 * not serialise (a hostile request nesting deeper than the stack): priced uncached, and execution refuses them itself.
 */
function priceKey(args: ExecutionArgs): string | null {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  try {
    return `${args.operationName ?? ''}\u0000${JSON.stringify(intVariables(args.document, args.operationName).map((name) => variables[name] ?? null))}`;
  } catch {
    return null;
  }
}

export function queryCost(options: QueryCostOptions): Plugin {
  const prices = new WeakMap<DocumentNode, Map<string, number | null>>();

  /** The operation's cost, or null when it does not validate (execution reports that with its own codes). */
  function price(args: ExecutionArgs): number | null {
    const key = priceKey(args);
    let known = prices.get(args.document);
    if (key !== null && known?.has(key)) return known.get(key)!;
    let cost = 0;
    const rule = createComplexityRule({
      variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
      operationName: args.operationName ?? undefined,
      context: args.contextValue as object,
      validate: (result) => {
        cost = result.complexity;
      },
    });
    const result = validate(args.schema, args.document, [rule]).length > 0 ? null : cost;
    // Only a price is remembered: a request whose other variables did not coerce is priced again, never waved through.
    if (key === null || result === null) return result;
    if (!known || known.size >= MAX_PRICES_PER_DOCUMENT) {
      known = new Map();
      prices.set(args.document, known);
    }
    known.set(key, result);
    return result;
  }

  function refusal(args: ExecutionArgs): GraphQLError | null {
    const cost = price(args);
    if (cost === null || cost <= options.maxCost) return null;
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
