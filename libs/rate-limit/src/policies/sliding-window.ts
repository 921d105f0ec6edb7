import { RedisScript } from '@sentinel-kit/redis/internal';
import { FLOAT_SLACK, LUA_SERVER_NOW, type RateLimitAlgorithm } from './rate-limit-algorithm';

/** Stored state of one sliding-window key. */
export interface SlidingWindowState {
  /** Index of the current fixed window (`floor(now / durationMs)`). */
  window: number;
  /** Points taken in the current window. */
  current: number;
  /** Points taken in the window before it. */
  previous: number;
}

/**
 * KEYS: key. ARGV: points, duration ms, cost. A refusal writes nothing.
 */
const SLIDING_WINDOW_LUA = `${LUA_SERVER_NOW}
local points = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local slack = ${FLOAT_SLACK}
local window = math.floor(now / duration)
local elapsed = now - window * duration
local stored = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local current, previous = 0, 0
local storedWindow = tonumber(stored[1])
if storedWindow == window then
  current, previous = tonumber(stored[2]), tonumber(stored[3])
elseif storedWindow == window - 1 then
  previous = tonumber(stored[2])
end
local used = previous * (duration - elapsed) / duration + current
if used + cost > points + slack then
  local retry
  if current + cost <= points then
    retry = duration - (points - current - cost) * duration / previous - elapsed
  else
    retry = 2 * duration - (points - cost) * duration / current - elapsed
  end
  local reset = duration - elapsed
  if current > 0 then reset = reset + duration end
  return { math.max(0, math.floor(points - used + slack)), math.ceil(reset), math.max(1, math.ceil(retry - slack)) }
end
current = current + cost
used = used + cost
local reset = 2 * duration - elapsed
redis.call('HSET', KEYS[1], 'w', window, 'c', current, 'p', previous)
redis.call('PEXPIRE', KEYS[1], math.ceil(reset) + 1000)
return { math.max(0, math.floor(points - used + slack)), math.ceil(reset) }
`;

/**
 * Sliding-window counter: "at most `points` in any `durationMs`", estimated from the counts of the
 * current and the previous fixed window, the previous one weighted by how much of it still lies
 * inside the sliding window. Two integers per key; `burst` does not apply.
 */
export const slidingWindow: RateLimitAlgorithm<SlidingWindowState> = {
  name: 'sliding-window',
  keyTag: 'sw',
  capacity: (limit) => limit.points,
  script: new RedisScript(SLIDING_WINDOW_LUA),
  scriptArguments: (limit, cost) => [limit.points, limit.durationMs, cost],
  evaluate({ points, durationMs: duration }, state, cost, now) {
    const window = Math.floor(now / duration);
    const elapsed = now - window * duration;
    let current = 0;
    let previous = 0;
    if (state?.window === window) ({ current, previous } = state);
    else if (state?.window === window - 1) previous = state.current;
    let used = (previous * (duration - elapsed)) / duration + current;
    if (used + cost > points + FLOAT_SLACK) {
      const retry =
        current + cost <= points
          ? duration - ((points - current - cost) * duration) / previous - elapsed
          : 2 * duration - ((points - cost) * duration) / current - elapsed;
      const resetMs = Math.ceil(duration - elapsed + (current > 0 ? duration : 0));
      return {
        allowed: false,
        remaining: Math.max(0, Math.floor(points - used + FLOAT_SLACK)),
        resetMs,
        retryAfterMs: Math.max(1, Math.ceil(retry - FLOAT_SLACK)),
        state: state ?? { window, current, previous },
        ttlMs: resetMs + 1000,
      };
    }
    current += cost;
    used += cost;
    const resetMs = Math.ceil(2 * duration - elapsed);
    return {
      allowed: true,
      remaining: Math.max(0, Math.floor(points - used + FLOAT_SLACK)),
      resetMs,
      retryAfterMs: 0,
      state: { window, current, previous },
      ttlMs: resetMs + 1000,
    };
  },
};
