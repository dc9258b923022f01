import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses operations nested deeper than `max` fields (the unit tree is recursive, so a client
 * could otherwise ask for arbitrarily deep joins). Fragments count at the depth they are spread.
 */
export function depthLimit(max: number): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    function depth(set: SelectionSetNode, seen: Set<string>): number {
      let deepest = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) deepest = Math.max(deepest, s.selectionSet ? 1 + depth(s.selectionSet, seen) : 1);
        else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depth(s.selectionSet, seen));
        else {
          const fragment = fragments.get(s.name.value);
          if (fragment && !seen.has(s.name.value)) deepest = Math.max(deepest, depth(fragment.selectionSet, new Set([...seen, s.name.value])));
        }
      }
      return deepest;
    }

    return {
      OperationDefinition(node) {
        const found = depth(node.selectionSet, new Set());
        if (found > max) {
          context.reportError(
            new GraphQLError(`Consulta profunda demais: ${found} níveis (máximo ${max}).`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
