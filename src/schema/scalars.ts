import { Kind } from 'graphql';
import { builder } from './builder.js';
import { badUserInput } from './errors.js';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO 8601, checked as a calendar date and a clock time: no silent roll-over (2026-02-30), no year 0000. */
function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!match) {
    throw badUserInput('', `Data/hora inválida: ${JSON.stringify(value)}. Use ISO 8601, ex.: 2026-11-24T10:00:00Z ou 2026-11-24.`);
  }
  const [year, month, day, hour = 0, minute = 0, second = 0, , offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined || part === 'Z' || /^[+-]/.test(part) ? undefined : Number(part)));
  const valid =
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth(year!, month!) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59;
  const date = new Date(value as string);
  if (!valid || Number.isNaN(date.getTime())) throw badUserInput('', `Data/hora inexistente: ${value as string}.`);
  return date;
}

/** How a file slot of a multipart request is named in the variables once its part is routed. */
export const PREFIXO_UPLOAD = 'arquivo:';

builder.scalarType('DateTime', {
  description:
    'Data e hora em ISO 8601 (UTC na saída, ex.: 2026-11-24T13:45:00.000Z). Na entrada aceita também só a data (AAAA-MM-DD, meia-noite UTC).',
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

builder.scalarType('Upload', {
  description:
    'Um arquivo enviado numa requisição multipart do GraphQL (GraphQL multipart request spec: campos `operations`, `map` e um campo por arquivo; clientes de upload do Apollo e do urql). Só como entrada; os bytes vão direto para o armazenamento, sem passar inteiros pela memória.',
  serialize: () => {
    throw new TypeError('Upload só existe na entrada.');
  },
  parseValue: (value) => {
    // The multipart route puts the slot's name where the spec's `null` was (src/http/graphql-multipart.ts).
    if (typeof value === 'string' && value.startsWith(PREFIXO_UPLOAD)) return value;
    throw badUserInput('', 'Envie o arquivo numa requisição multipart/form-data (GraphQL multipart request spec).');
  },
  parseLiteral: () => {
    throw new TypeError('Um Upload não pode ser literal: envie o arquivo numa requisição multipart.');
  },
});
