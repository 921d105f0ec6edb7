import type { LimitParameters } from './rate-limit-algorithm';
import { tokenBucket, type BucketState } from './token-bucket';

describe('tokenBucket.evaluate', () => {
  const limit: LimitParameters = { points: 10, durationMs: 1000, burst: 5 }; // 1 token per 100 ms

  it('starts full and allows a burst of `burst`', () => {
    let state: BucketState | null = null;
    for (let i = 4; i >= 0; i -= 1) {
      const decision = tokenBucket.evaluate(limit, state, 1, 1000);
      expect(decision).toMatchObject({ allowed: true, remaining: i, retryAfterMs: 0, resetMs: (5 - i) * 100 });
      state = decision.state;
    }
    const denied = tokenBucket.evaluate(limit, state, 1, 1000);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100, resetMs: 500, state });
  });

  it('refills with time, never above the burst', () => {
    const empty = { fullAt: 1500 }; // empty at t=1000
    expect(tokenBucket.evaluate(limit, empty, 1, 1099).allowed).toBe(false);
    expect(tokenBucket.evaluate(limit, empty, 1, 1100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(tokenBucket.evaluate(limit, empty, 1, 60_000)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('charges a cost above 1 and says how long until it fits', () => {
    const twoLeft = { fullAt: 300 }; // 2 tokens at t=0
    expect(tokenBucket.evaluate(limit, twoLeft, 3, 0)).toMatchObject({
      allowed: false,
      retryAfterMs: 100,
      remaining: 2,
    });
    expect(tokenBucket.evaluate(limit, { fullAt: 200 }, 3, 0)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps fractions of a millisecond, so fast refill rates stay exact', () => {
    const fast: LimitParameters = { points: 3_000, durationMs: 1000, burst: 3 }; // 3 tokens per ms
    let state: BucketState | null = null;
    const allowed = [];
    for (let i = 0; i < 7; i += 1) {
      const decision = tokenBucket.evaluate(fast, state, 1, 0);
      allowed.push(decision.allowed);
      state = decision.state;
    }
    expect(allowed).toEqual([true, true, true, false, false, false, false]);
    expect(tokenBucket.evaluate(fast, state, 3, 1).allowed).toBe(true);
  });
});
