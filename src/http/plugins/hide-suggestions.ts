import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface HideSuggestionsOptions {
  /**
   * Whether the client of this HTTP request may read "Did you mean …?" hints (they spell out the
   * schema field by field). Asked only when a response holds a suggestion.
   */
  showTo(request: Request): boolean | Promise<boolean>;
}

// graphql-js has no code or class for its hints, only this wording (pinned by test/hide-suggestions.test.ts).
const SUGGESTION = / ?Did you mean [^?]*\?$/;

/** The errors without graphql-js's suggestions (validation and variable-coercion messages end with them). */
export function withoutSuggestions(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) =>
    SUGGESTION.test(error.message)
      ? new GraphQLError(error.message.replace(SUGGESTION, ''), {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        })
      : error,
  );
}

const hasSuggestion = (result: ExecutionResult) => result.errors?.some((e) => SUGGESTION.test(e.message)) ?? false;

/**
 * Removes suggestions from HTTP responses for clients that may not see them. It acts on the response,
 * not in validation, because yoga caches validation results per document for every client.
 * graphql-ws results don't pass here: strip them with `withoutSuggestions` in the WebSocket server.
 */
export function hideSuggestions(options: HideSuggestionsOptions): Plugin {
  return {
    // Synchronous for a response without suggestions (nearly all): no promise for envelop to wait on.
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in result) return;
      const results = Array.isArray(result) ? result : [result];
      if (!results.some(hasSuggestion)) return;
      const strip = (show: boolean) => {
        if (show) return;
        const stripped = results.map((r) => (r.errors ? { ...r, errors: withoutSuggestions(r.errors as GraphQLError[]) } : r));
        setResult(Array.isArray(result) ? stripped : stripped[0]!);
      };
      const show = options.showTo(request);
      return show instanceof Promise ? show.then(strip) : strip(show);
    },
  };
}
