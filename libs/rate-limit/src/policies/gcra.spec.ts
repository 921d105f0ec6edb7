import { gcra, type GcraState } from './gcra';
import type { LimitParameters } from './rate-limit-algorithm';
import { tokenBucket, type BucketState } from './token-bucket';

describe('gcra.evaluate', () => {
  const limit: LimitParameters = { points: 10, durationMs: 1000, burst: 5 }; // one every 100 ms

  it('allows a burst of `burst`, then spaces requests by durationMs / points', () => {
    let state: GcraState | null = null;
    for (let i = 4; i >= 0; i -= 1) {
      const decision = gcra.evaluate(limit, state, 1, 1000);
      expect(decision).toMatchObject({ allowed: true, remaining: i, retryAfterMs: 0, resetMs: (5 - i) * 100 });
      state = decision.state;
    }
    expect(gcra.evaluate(limit, state, 1, 1000)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 100,
      resetMs: 500,
      state,
    });
    expect(gcra.evaluate(limit, state, 1, 1100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('charges a cost above 1 and says how long until it fits', () => {
    const twoLeft = { tat: 1300 }; // 3 of 5 used at t=1000
    expect(gcra.evaluate(limit, twoLeft, 3, 1000)).toMatchObject({ allowed: false, remaining: 2, retryAfterMs: 100 });
    expect(gcra.evaluate(limit, twoLeft, 2, 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('allows exactly `points` when the interval is not a whole number of milliseconds', () => {
    const odd: LimitParameters = { points: 7, durationMs: 60_000, burst: 7 };
    let state: GcraState | null = null;
    const allowed = [];
    for (let i = 0; i < 10; i += 1) {
      const decision = gcra.evaluate(odd, state, 1, 5);
      allowed.push(decision.allowed);
      state = decision.state;
    }
    expect(allowed.filter(Boolean)).toHaveLength(7);
  });

  it('decides like a token bucket of the same size and rate', () => {
    let g: GcraState | null = null;
    let t: BucketState | null = null;
    for (let now = 0; now < 3000; now += 37) {
      const cost = (now % 3) + 1;
      const a = gcra.evaluate(limit, g, cost, now);
      const b = tokenBucket.evaluate(limit, t, cost, now);
      expect([now, a.allowed, a.remaining]).toEqual([now, b.allowed, b.remaining]);
      g = a.state;
      t = b.state;
    }
  });
});
