import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { tokenRequired, unauthenticated } from '../../schema/errors.js';
import type { GatewayContext } from '../../schema/context.js';

/** True when the operation only reads the schema (`__schema`, `__type`, `__typename`). */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (operation?.operation !== 'query') return false;
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/**
 * Every operation needs a valid token, except introspection when it is public by configuration.
 * A presented but invalid token is refused even for introspection: the client should know.
 */
export function authGate(options: { introspectionPublic: boolean }): Plugin<GatewayContext & { authError?: Error | null }> {
  function refusal(ctx: GatewayContext & { authError?: Error | null }, document: DocumentNode, operationName?: string | null) {
    if (ctx.authError) return unauthenticated(ctx.authError.message);
    if (ctx.viewer) return null;
    if (options.introspectionPublic && isIntrospectionOnly(document, operationName)) return null;
    return tokenRequired();
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(args.contextValue, args.document, args.operationName);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusal(args.contextValue, args.document, args.operationName);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
