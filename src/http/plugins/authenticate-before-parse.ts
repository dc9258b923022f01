import { parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { databaseFault } from '../../db/faults.js';
import type { Authentication } from '../../identity/authenticate.js';
import { tokenRequired, unauthenticated } from '../../schema/errors.js';
import { isIntrospectionOnly } from './auth-gate.js';

export interface AuthenticateBeforeParseOptions {
  /** The request's authentication, memoised per request (the context factory reuses it). */
  authenticate(request: Request): Promise<Authentication>;
  introspectionPublic: boolean;
  /** Token bound of the throwaway parse that tells anonymous introspection from anything else. */
  maxAnonymousTokens: number;
}

/**
 * Authentication before any parsing, validation or caching: a request with a bad token, or with
 * no token and anything but schema introspection (when public), is answered UNAUTHENTICATED (401)
 * from its parameters. An anonymous document is parsed once, bounded in tokens and not cached, to
 * tell introspection apart; it never reaches yoga's parse cache.
 */
export function authenticateBeforeParse(options: AuthenticateBeforeParseOptions): Plugin {
  function isPublicIntrospection(query: unknown, operationName: string | undefined): boolean {
    if (!options.introspectionPublic || typeof query !== 'string') return false;
    try {
      return isIntrospectionOnly(parse(query, { maxTokens: options.maxAnonymousTokens, noLocation: true }), operationName);
    } catch {
      return false; // a syntax error or too many tokens: an anonymous client is not told which
    }
  }
  return {
    async onParams({ request, params, setResult }) {
      let auth: Authentication;
      try {
        auth = await options.authenticate(request);
      } catch (error) {
        // The agency lookup needs the database: while it is down the client is told to retry.
        const fault = databaseFault(error);
        if (fault) return setResult({ errors: [fault] });
        throw error;
      }
      if (auth.error) return setResult({ errors: [unauthenticated(auth.error.message)] });
      if (auth.viewer) return;
      if (!isPublicIntrospection(params.query, params.operationName ?? undefined)) setResult({ errors: [tokenRequired()] });
    },
  };
}

/** Memoises an authenticator per request object, so the plugin above and the context share one check. */
export function oncePerRequest(authenticate: (authorization: string | null) => Promise<Authentication>) {
  const seen = new WeakMap<Request, Promise<Authentication>>();
  return (request: Request): Promise<Authentication> => {
    let auth = seen.get(request);
    if (!auth) {
      auth = authenticate(request.headers.get('authorization'));
      seen.set(request, auth);
    }
    return auth;
  };
}
