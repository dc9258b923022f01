import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Errors that graphql-js and Pothos raise for bad arguments, and the argument each names. */
const INPUT_ERROR_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Variable "\$(\w+)" got invalid value/, (m) => `$${m[1]}`],
  [/^Variable "\$(\w+)" of required type "[^"]+" was not provided/, (m) => `$${m[1]}`],
  [/^Variable "\$(\w+)" of non-null type "[^"]+" must not be null/, (m) => `$${m[1]}`],
  [/^Arguments "first" and "last" are not supported at the same time/, () => 'first/last'],
  [/^Argument "(\w+)" must be a non-negative integer/, (m) => m[1]!],
  [/^Invalid cursor/, () => 'after/before'],
  [/^ID: .* is not of type: /, () => 'id'],
  [/^Value "[^"]*" does not exist in "\w+" enum/, () => ''],
  [/^Enum "\w+" cannot represent/, () => ''],
  [/^(Int|Float|String|Boolean|ID) cannot represent/, () => ''],
  [/^Expected value of type "/, () => ''],
  [/^Field "[^"]+" of required type "[^"]+" was not provided/, () => ''],
  [/^Argument "(\w+)" of (non-null |required )?type "[^"]+" is required/, (m) => m[1]!],
];

/** Gives every bad-input error the code BAD_USER_INPUT (and the argument, when known). */
export function codeInputError(error: GraphQLError): GraphQLError {
  const code = error.extensions?.code;
  // A coded BAD_USER_INPUT without its argument (e.g. a scalar's own error, re-wrapped by graphql-js
  // as 'Variable "$x" got invalid value ...', keeps the inner code) still gets the argument below.
  const unnamedBadInput = code === 'BAD_USER_INPUT' && !error.extensions?.argument;
  if (code && code !== 'GRAPHQL_VALIDATION_FAILED' && !unnamedBadInput) return error;
  for (const [pattern, argumentOf] of INPUT_ERROR_PATTERNS) {
    const match = pattern.exec(error.message);
    if (!match) continue;
    const argument = argumentOf(match) || argumentFromNodes(error);
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
    });
  }
  return error;
}

/** For a literal in the query, the argument is the nearest enclosing `name:` before it in the source. */
function argumentFromNodes(error: GraphQLError): string {
  const node = error.nodes?.[0];
  const body = node?.loc?.source.body;
  if (!node?.loc || !body) return '';
  const before = body.slice(0, node.loc.start);
  const match = /(\w+)\s*:\s*[[{]*\s*$/.exec(before) ?? /(\w+)\s*:[^:]*$/.exec(before);
  return match?.[1] ?? '';
}

export function inputErrorCodes(): Plugin {
  const mapErrors = <T extends { errors?: readonly GraphQLError[] }>(result: T): T =>
    result.errors ? { ...result, errors: result.errors.map(codeInputError) } : result;
  return {
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map((e) => codeInputError(e as GraphQLError)));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) setResult(mapErrors(result));
        },
      };
    },
  };
}
