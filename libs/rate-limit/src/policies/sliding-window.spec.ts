import type { LimitParameters } from './rate-limit-algorithm';
import { slidingWindow, type SlidingWindowState } from './sliding-window';

describe('slidingWindow.evaluate', () => {
  const limit: LimitParameters = { points: 10, durationMs: 1000, burst: 10 };

  it('allows `points` in a window, then refuses until the next one', () => {
    let state: SlidingWindowState | null = null;
    for (let i = 9; i >= 0; i -= 1) {
      const decision = slidingWindow.evaluate(limit, state, 1, 5000);
      expect(decision).toMatchObject({ allowed: true, remaining: i, resetMs: 2000 });
      state = decision.state;
    }
    // All 10 in the current window: the next window starts in 1000 ms at weight 1, so the request
    // fits once one tenth of the previous window has slid out: 1000 + 100 ms.
    expect(slidingWindow.evaluate(limit, state, 1, 5000)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1100,
      state,
    });
  });

  it('weights the previous window by the part still inside the sliding window', () => {
    const previous = { window: 4, current: 10, previous: 0 }; // 10 in [4000, 5000)
    // At 5250, 75% of the previous window still counts: 7.5 used, 2 more fit.
    expect(slidingWindow.evaluate(limit, previous, 2, 5250)).toMatchObject({ allowed: true, remaining: 0 });
    expect(slidingWindow.evaluate(limit, previous, 3, 5250)).toMatchObject({
      allowed: false,
      remaining: 2,
      retryAfterMs: 50, // at 5300 the previous window counts 7
    });
  });

  it('forgets windows older than the previous one', () => {
    const old = { window: 1, current: 10, previous: 10 };
    expect(slidingWindow.evaluate(limit, old, 10, 5000)).toMatchObject({ allowed: true, remaining: 0 });
  });
});
