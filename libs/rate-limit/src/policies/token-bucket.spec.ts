import { takeTokens, type TokenBucketPolicy } from './token-bucket';

describe('takeTokens', () => {
  const policy: TokenBucketPolicy = { capacity: 5, refillPerMs: 1 / 100 }; // 1 token per 100 ms

  it('starts full and allows a burst of `capacity`', () => {
    let state = null;
    for (let i = 4; i >= 0; i -= 1) {
      const decision = takeTokens(policy, state, 1, 1000);
      expect(decision).toMatchObject({ allowed: true, remaining: i, retryAfterMs: 0 });
      state = decision.state;
    }
    const denied = takeTokens(policy, state, 1, 1000);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100, resetMs: 500 });
  });

  it('refills with time, never above capacity', () => {
    const empty = { tokens: 0, updatedAt: 1000 };
    expect(takeTokens(policy, empty, 1, 1099).allowed).toBe(false);
    expect(takeTokens(policy, empty, 1, 1100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(takeTokens(policy, empty, 1, 60_000)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('charges a cost above 1 and says how long until it fits', () => {
    const decision = takeTokens(policy, { tokens: 2, updatedAt: 0 }, 3, 0);
    expect(decision).toMatchObject({ allowed: false, retryAfterMs: 100, remaining: 2 });
    expect(takeTokens(policy, { tokens: 3, updatedAt: 0 }, 3, 0)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('ignores a clock that went backwards', () => {
    expect(takeTokens(policy, { tokens: 1, updatedAt: 5000 }, 1, 4000)).toMatchObject({ allowed: true, remaining: 0 });
  });
});
