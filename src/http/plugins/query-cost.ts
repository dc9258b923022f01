import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, validate, type DocumentNode, type ExecutionArgs, type TypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryCostOptions {
  /** The highest cost an operation may have (see the cost model in src/schema/builder.ts). */
  maxCost: number;
}

/**
 * Prices kept per operation of a document (yoga's parse cache hands back the same DocumentNode for the same text), and
 * operation names per document (a client names any operation it likes, known or not).
 */
const MAX_PRICES_PER_OPERATION = 64;
const MAX_OPERATIONS_PER_DOCUMENT = 16;

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

/** One operation of a document: its Int variables (read from the document once) and the prices seen for their values. */
interface PricesOfOperation {
  ints: string[];
  byValues: Map<string, number>;
}

/**
 * What a price depends on besides the document and operation: the Int variables' values ('' when there are none, as
 * for most mutations). Null for values that do not serialise (a hostile request nesting deeper than the stack): priced
 * uncached, and execution refuses them itself.
 */
function priceKey(ints: string[], args: ExecutionArgs): string | null {
  if (ints.length === 0) return '';
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  try {
    return JSON.stringify(ints.map((name) => variables[name] ?? null));
  } catch {
    return null;
  }
}

export function queryCost(options: QueryCostOptions): Plugin {
  const prices = new WeakMap<DocumentNode, Map<string, PricesOfOperation>>();

  function pricesOf(args: ExecutionArgs): PricesOfOperation {
    let byOperation = prices.get(args.document);
    if (!byOperation) {
      byOperation = new Map();
      prices.set(args.document, byOperation);
    }
    const operation = args.operationName ?? '';
    let known = byOperation.get(operation);
    if (!known) {
      if (byOperation.size >= MAX_OPERATIONS_PER_DOCUMENT) byOperation.clear();
      known = { ints: intVariables(args.document, args.operationName), byValues: new Map() };
      byOperation.set(operation, known);
    }
    return known;
  }

  /** The operation's cost, or null when it does not validate (execution reports that with its own codes). */
  function price(args: ExecutionArgs): number | null {
    const known = pricesOf(args);
    const key = priceKey(known.ints, args);
    const seen = key === null ? undefined : known.byValues.get(key);
    if (seen !== undefined) return seen;
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
    if (known.byValues.size >= MAX_PRICES_PER_OPERATION) known.byValues.clear();
    known.byValues.set(key, result);
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
