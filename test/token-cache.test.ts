// The verified-token cache (src/identity/tokens.ts): one signature check per token while it is valid, never past its
// expiry, refusals never remembered, bounded. Pure: the inner verifier is counted, the clock is given.
import { describe, expect, test } from 'vitest';
import { cachedTokenVerifier, InvalidTokenError, type TokenVerifier } from '../src/identity/tokens.js';

function counted(expiresAt: (token: string) => Date | null) {
  const calls: string[] = [];
  const verify: TokenVerifier = async (token) => {
    calls.push(token);
    if (token.startsWith('bad')) throw new InvalidTokenError('Token inválido.', 'invalid');
    return { sub: token, orgao: null, roles: ['PEN_ADMIN'], expiresAt: expiresAt(token) };
  };
  return { calls, verify };
}

describe('cachedTokenVerifier', () => {
  test('verifies a token once while it is valid, and again once it has expired', async () => {
    let now = 1_000_000;
    const inner = counted(() => new Date(1_060_000));
    const verify = cachedTokenVerifier(inner.verify, { max: 10, now: () => now });
    expect((await verify('a')).sub).toBe('a');
    expect((await verify('a')).sub).toBe('a');
    expect(inner.calls).toEqual(['a']);
    now = 1_060_000; // the instant it expires: never answered from the cache, the real check decides
    await verify('a');
    expect(inner.calls).toEqual(['a', 'a']);
  });

  test('refusals are not remembered', async () => {
    const inner = counted(() => null);
    const verify = cachedTokenVerifier(inner.verify, { max: 10 });
    await expect(verify('bad-1')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verify('bad-1')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(inner.calls).toEqual(['bad-1', 'bad-1']);
  });

  test('keeps at most `max` tokens, the least recently used leaving first', async () => {
    const inner = counted(() => null);
    const verify = cachedTokenVerifier(inner.verify, { max: 2 });
    await verify('a');
    await verify('b');
    await verify('a'); // cached; `b` is now the least recently used
    await verify('c'); // evicts `b`
    await verify('a');
    await verify('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
  });
});
