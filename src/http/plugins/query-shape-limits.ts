import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryShapeLimitsOptions {
  /** Lexical tokens per document: refused while parsing, before an AST is built (graphql-armor default 1,000). */
  tokens: number;
  /** Aliased fields per operation, fragments counted once (graphql-armor default 15). */
  aliases: number;
  /** Directives per operation (graphql-armor default 50). */
  directives: number;
}

/** graphql-armor's rejection with our code and the limit, so clients can tell which bound they hit. */
function coded(error: GraphQLError, code: string, limit: number): GraphQLError {
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code, limit } });
}

/**
 * graphql-armor's token, alias and directive limits (linear in the document), answering coded
 * errors: TOO_MANY_TOKENS at parse time, TOO_MANY_ALIASES / TOO_MANY_DIRECTIVES at validation.
 */
export function queryShapeLimits(options: QueryShapeLimitsOptions): Plugin {
  const report = (code: string, limit: number) => (ctx: ValidationContext | null, error: GraphQLError) =>
    ctx?.reportError(coded(error, code, limit));
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        maxTokensPlugin({
          n: options.tokens,
          // Thrown from inside the parser: the document is never built.
          onReject: [
            (_ctx, error) => {
              throw coded(error, 'TOO_MANY_TOKENS', options.tokens);
            },
          ],
        }),
      );
      addPlugin(
        maxAliasesPlugin({ n: options.aliases, propagateOnRejection: false, onReject: [report('TOO_MANY_ALIASES', options.aliases)] }),
      );
      addPlugin(
        maxDirectivesPlugin({
          n: options.directives,
          propagateOnRejection: false,
          onReject: [report('TOO_MANY_DIRECTIVES', options.directives)],
        }),
      );
    },
  };
}
