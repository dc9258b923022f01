import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';

/** One log line per operation: name, duration, error count; the request id ties it to the request. */
export function operationLog(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          args.contextValue.log.info(
            { operation: args.operationName ?? null, ms: Math.round(performance.now() - started), errors: result.errors?.length ?? 0 },
            'graphql operation',
          );
        },
      };
    },
  };
}
