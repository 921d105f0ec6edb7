import type { LimitParameters } from './rate-limit-algorithm';
import { tokenBucket, type BucketState } from './token-bucket';

describe('tokenBucket.evaluate', () => {
  const limit: LimitParameters = { points: 10, durationMs: 1000, burst: 5 }; // 1 token per 100 ms

  it('starts full and allows a burst of `burst`', () => {
    let state: BucketState | null = null;
    for (let i = 4; i >= 0; i -= 1) {
      const decision = tokenBucket.evaluate(limit, state, 1, 1000);
      expect(decision).toMatchObject({ allowed: true, remaining: i, retryAfterMs: 0 });
      state = decision.state;
    }
    const denied = tokenBucket.evaluate(limit, state, 1, 1000);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100, resetMs: 500, state });
  });

  it('refills with time, never above the burst', () => {
    const empty = { tokens: 0, updatedAt: 1000 };
    expect(tokenBucket.evaluate(limit, empty, 1, 1099).allowed).toBe(false);
    expect(tokenBucket.evaluate(limit, empty, 1, 1100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(tokenBucket.evaluate(limit, empty, 1, 60_000)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('charges a cost above 1 and says how long until it fits', () => {
    const decision = tokenBucket.evaluate(limit, { tokens: 2, updatedAt: 0 }, 3, 0);
    expect(decision).toMatchObject({ allowed: false, retryAfterMs: 100, remaining: 2 });
    expect(tokenBucket.evaluate(limit, { tokens: 3, updatedAt: 0 }, 3, 0)).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });

  it('ignores a clock that went backwards', () => {
    expect(tokenBucket.evaluate(limit, { tokens: 1, updatedAt: 5000 }, 1, 4000)).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });
});
