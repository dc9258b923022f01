import { GraphQLError } from 'graphql';

/** Bad input from the client: always coded, always names the argument. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(argument ? `Argumento "${argument}": ${message}` : message, {
    extensions: { code: 'BAD_USER_INPUT', argument: argument || undefined },
  });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} não encontrado.`, { extensions: { code: 'NOT_FOUND' } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** An operation that needs a token arrived without one: one text wherever the gateway refuses it. */
export function tokenRequired(): GraphQLError {
  return unauthenticated('Autenticação necessária: envie "Authorization: Bearer <token>".');
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}
