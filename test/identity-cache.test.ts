// The identity a token proved is remembered by the authenticator per token: the same viewer while the agency lookups
// it rests on are fresh (a minute) and never past the token's `exp`; refusals are not remembered.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Database } from '../src/db/client.js';
import { createAuthenticator } from '../src/identity/authenticate.js';
import { InvalidTokenError, type TokenVerifier } from '../src/identity/tokens.js';

const T0 = Date.UTC(2026, 10, 24, 12);

function counted(expiresAt: Date | null) {
  const calls: string[] = [];
  const verify: TokenVerifier = async (token) => {
    calls.push(token);
    if (token.startsWith('bad')) throw new InvalidTokenError('Token inválido.', 'invalid');
    return { sub: token, orgao: null, roles: ['PEN_ADMIN'], expiresAt };
  };
  return { calls, verify };
}

// PEN_ADMIN tokens name no agency: no lookup reaches the database.
const semBanco = {} as Database;

describe('createAuthenticator identity cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a repeated token gets the same viewer without a new check, until a minute has passed', async () => {
    const inner = counted(new Date(T0 + 3_600_000));
    const authenticate = createAuthenticator(inner.verify, semBanco);
    const first = await authenticate('Bearer a');
    expect(first.viewer?.sujeito).toBe('a');
    expect((await authenticate('Bearer a')).viewer).toBe(first.viewer);
    expect(inner.calls).toEqual(['a']);
    vi.setSystemTime(T0 + 60_000);
    await authenticate('Bearer a');
    expect(inner.calls).toEqual(['a', 'a']);
  });

  test('never answered from the cache once the token has expired', async () => {
    const inner = counted(new Date(T0 + 30_000));
    const authenticate = createAuthenticator(inner.verify, semBanco);
    await authenticate('Bearer a');
    vi.setSystemTime(T0 + 30_000);
    await authenticate('Bearer a');
    expect(inner.calls).toEqual(['a', 'a']);
  });

  test('refusals are not remembered', async () => {
    const inner = counted(null);
    const authenticate = createAuthenticator(inner.verify, semBanco);
    expect((await authenticate('Bearer bad-1')).error).toBeInstanceOf(InvalidTokenError);
    expect((await authenticate('Bearer bad-1')).error).toBeInstanceOf(InvalidTokenError);
    expect(inner.calls).toEqual(['bad-1', 'bad-1']);
  });
});
