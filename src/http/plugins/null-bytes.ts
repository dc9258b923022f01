import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const NULL_BYTE = '\u0000';

function refusal(where: string): GraphQLError {
  return new GraphQLError(`Texto com caractere nulo (\\u0000) em ${where}: não é aceito.`, {
    extensions: { code: 'BAD_USER_INPUT', argument: where },
  });
}

/** The path of the first string holding a null byte inside a variables object, or null. Iterative: variables may nest deeper than the stack. */
function nullBytePath(root: unknown, rootPath: string): string | null {
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NULL_BYTE)) return path;
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) pending.push([item, `${path}[${i}]`]);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NULL_BYTE)) return `${path}.${key.replaceAll(NULL_BYTE, '\\u0000')}`;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000 (the driver would fail with an unexpected error): strings
 * carrying it are refused as BAD_USER_INPUT, in literals (validation) and in variables (execution).
 */
export function refuseNullBytes(): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => ({
    StringValue(node) {
      if (!node.value.includes(NULL_BYTE)) return;
      context.reportError(
        new GraphQLError('Texto com caractere nulo (\\u0000) na consulta: não é aceito.', {
          nodes: [node],
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      );
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const path = nullBytePath(args.variableValues ?? {}, '$');
      if (path) setResultAndStopExecution({ errors: [refusal(path)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const path = nullBytePath(args.variableValues ?? {}, '$');
      if (path) setResultAndStopExecution({ errors: [refusal(path)] });
    },
  };
}
