/**
 * Database failures a client should retry, told apart from bugs. postgres.js reports a lost or
 * refused connection with its own codes; PostgreSQL itself with SQLSTATE classes 08 and 57P.
 */
import { GraphQLError } from 'graphql';

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);
const STATEMENT_TIMEOUT = '57014'; // query_canceled (statement_timeout)

/** The coded, retryable error for a database fault anywhere in `error`'s cause chain; null otherwise. */
export function databaseFault(error: unknown): GraphQLError | null {
  for (let current = error, hops = 0; current && hops < 8; current = (current as { cause?: unknown }).cause, hops++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONNECTION_CODES.has(code) || code.startsWith('08')) {
      return new GraphQLError('Banco de dados indisponível no momento: tente de novo (com a mesma chaveIdempotencia, numa mutação).', {
        extensions: { code: 'DATABASE_UNAVAILABLE', retryable: true },
      });
    }
    if (code === STATEMENT_TIMEOUT) return databaseTimeout();
  }
  return null;
}

/**
 * DATABASE_TIMEOUT, retryable: a statement past statement_timeout, or (with `limitMs`) a mutation
 * the database did not finish within the execution deadline (http/plugins/execution-deadline.ts).
 */
export function databaseTimeout(limitMs?: number): GraphQLError {
  return new GraphQLError(
    limitMs === undefined
      ? 'A consulta ao banco de dados excedeu o tempo limite.'
      : `O banco de dados não concluiu a operação em ${limitMs} ms: tente de novo com a mesma chaveIdempotencia.`,
    { extensions: { code: 'DATABASE_TIMEOUT', retryable: true, ...(limitMs === undefined ? {} : { limitMs }) } },
  );
}
