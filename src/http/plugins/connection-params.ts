/**
 * The Authorization value a graphql-ws client sent in `connection_init`, in the shapes clients use:
 * `{ authorization }` / `{ Authorization }` (graphql-ws, urql), `{ headers: { Authorization } }`
 * (Apollo / Hasura docs), `{ authToken }`; with or without the `Bearer ` prefix.
 * Returns `Bearer <token>`, or null when none of them holds a string.
 */
export function authorizationFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined | null): string | null {
  if (!params || typeof params !== 'object') return null;
  const headers = typeof params.headers === 'object' && params.headers !== null ? (params.headers as Record<string, unknown>) : {};
  const value = [params.authorization, params.Authorization, headers.authorization, headers.Authorization, params.authToken].find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '',
  );
  if (value === undefined) return null;
  const trimmed = value.trim();
  return /^bearer\s/i.test(trimmed) ? trimmed : `Bearer ${trimmed}`;
}
