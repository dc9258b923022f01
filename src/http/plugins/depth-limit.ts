import {
  GraphQLError,
  Kind,
  MaxIntrospectionDepthRule,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface DepthLimitOptions {
  /** Deepest nesting of operation fields (the unit tree is recursive: each level is a join). */
  maxDepth: number;
  /**
   * Deepest nesting below `__schema` / `__type`. The standard introspection query
   * (`getIntrospectionQuery()` with every option) is 15 levels deep through its `TypeRef` fragment.
   */
  maxIntrospectionDepth: number;
}

/** Depths of one selection set: its operation fields, and the deepest introspection subtree in it. */
interface Depths {
  operation: number;
  introspection: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Refuses documents nested deeper than the limits, in validation (before any resolver runs).
 * Introspection is measured on its own, larger bound instead of being exempt (an exempt `__schema`
 * is unbounded). Its breadth (`fields { type { fields ... } } }`) is graphql-js's own
 * MaxIntrospectionDepthRule, which yoga runs with the specified rules; this plugin swaps it for the
 * same rule with a coded error.
 *
 * Each fragment is measured once per mode (operation / introspection) and memoised, so the work is
 * linear in the document even when fragments spread each other many times.
 */
export function depthLimit(options: DepthLimitOptions): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const memo = new Map<string, Depths>();
    const inProgress = new Set<string>();

    /** Depths of a selection set; `inIntrospection` counts every field as an introspection level. */
    function measure(set: SelectionSetNode, inIntrospection: boolean): Depths {
      const result: Depths = { operation: 0, introspection: 0 };
      for (const selection of set.selections) {
        let child: Depths;
        if (selection.kind === Kind.FIELD) {
          const entersIntrospection = !inIntrospection && INTROSPECTION_ROOTS.has(selection.name.value);
          const below = selection.selectionSet
            ? measure(selection.selectionSet, inIntrospection || entersIntrospection)
            : { operation: 0, introspection: 0 };
          if (inIntrospection) child = { operation: 0, introspection: 1 + below.introspection };
          else if (entersIntrospection) child = { operation: 1, introspection: 1 + below.introspection };
          else child = { operation: 1 + below.operation, introspection: below.introspection };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          child = measure(selection.selectionSet, inIntrospection);
        } else {
          child = spread(selection.name.value, inIntrospection);
        }
        result.operation = Math.max(result.operation, child.operation);
        result.introspection = Math.max(result.introspection, child.introspection);
      }
      return result;
    }

    function spread(name: string, inIntrospection: boolean): Depths {
      const key = `${inIntrospection ? 'i' : 'o'}:${name}`;
      const known = memo.get(key);
      if (known) return known;
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are other rules' errors (KnownFragmentNames, NoFragmentCycles).
      if (!fragment || inProgress.has(key)) return { operation: 0, introspection: 0 };
      inProgress.add(key);
      const depths = measure(fragment.selectionSet, inIntrospection);
      inProgress.delete(key);
      memo.set(key, depths);
      return depths;
    }

    return {
      OperationDefinition(node) {
        const found = measure(node.selectionSet, false);
        if (found.operation > options.maxDepth) {
          context.reportError(
            new GraphQLError(`Consulta profunda demais: ${found.operation} níveis (máximo ${options.maxDepth}).`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP' },
            }),
          );
        }
        if (found.introspection > options.maxIntrospectionDepth) {
          context.reportError(
            new GraphQLError(`Introspecção profunda demais: ${found.introspection} níveis (máximo ${options.maxIntrospectionDepth}).`, {
              nodes: [node],
              extensions: { code: 'INTROSPECTION_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
  return {
    onValidate({ params, addValidationRule }) {
      addValidationRule(rule);
      // graphql-js's MaxIntrospectionDepthRule (nested type lists) runs among yoga's specified rules, in
      // English and without a code: it is swapped, by identity, for the same rule reporting a coded error.
      const rules = params.rules as ValidationRule[] | undefined;
      const at = rules?.indexOf(MaxIntrospectionDepthRule) ?? -1;
      if (at >= 0) rules![at] = codedIntrospectionListRule;
      else addValidationRule(codedIntrospectionListRule);
    },
  };
}

/** graphql-js's MaxIntrospectionDepthRule, its errors given a pt-BR message and a code. */
const codedIntrospectionListRule: ValidationRule = (context) =>
  MaxIntrospectionDepthRule(
    new Proxy(context, {
      get(target, property) {
        if (property === 'reportError') {
          return (error: GraphQLError) =>
            target.reportError(
              new GraphQLError(
                'Introspecção aninhada demais: listas de tipos dentro de listas de tipos (fields, inputFields, interfaces, possibleTypes) são limitadas a dois níveis.',
                { nodes: error.nodes, extensions: { code: 'INTROSPECTION_TOO_DEEP' } },
              ),
            );
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  );
