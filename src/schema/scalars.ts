import { Kind } from 'graphql';
import { builder } from './builder.js';
import { badUserInput } from './errors.js';

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    throw badUserInput('', `Data/hora inválida: ${JSON.stringify(value)}. Use ISO 8601, ex.: 2026-11-24T10:00:00Z ou 2026-11-24.`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badUserInput('', `Data/hora inexistente: ${value}.`);
  return date;
}

builder.scalarType('DateTime', {
  description: 'Data e hora em ISO 8601 (UTC na saída, ex.: 2026-11-24T13:45:00.000Z). Na entrada aceita também só a data (AAAA-MM-DD, meia-noite UTC).',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    try {
      return parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined);
    } catch (error) {
      // A plain error lets graphql-js attach the literal's location, so the argument gets named.
      throw new TypeError((error as Error).message);
    }
  },
});
