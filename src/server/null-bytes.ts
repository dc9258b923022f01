import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const NULL_BYTE = '\u0000';

function refusal(where: string): GraphQLError {
  return new GraphQLError(`Texto com caractere nulo (\\u0000) em ${where}: não é aceito.`, {
    extensions: { code: 'BAD_USER_INPUT', argument: where },
  });
}

/** The path of the first string holding a null byte inside a variables object, or null. */
function nullBytePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NULL_BYTE) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nullBytePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NULL_BYTE)) return `${path}.${key.replaceAll(NULL_BYTE, '\\u0000')}`;
      const found = nullBytePath(item, `${path}.${key}`);
      if (found) return found;
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
        new GraphQLError('Texto com caractere nulo (\\u0000) na consulta: não é aceito.', { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }),
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
