import { RedisScript } from '@sentinel-kit/redis/internal';
import { FLOAT_SLACK, LUA_SERVER_NOW, type RateLimitAlgorithm } from './rate-limit-algorithm';

/** Stored state of one GCRA key: the theoretical arrival time, epoch milliseconds. */
export interface GcraState {
  tat: number;
}

/**
 * KEYS: key. ARGV: duration ms, points, burst, cost (whole numbers: quicker to send than an interval). The state is one number (a plain
 * string key); a refusal writes nothing.
 */
const GCRA_LUA = `${LUA_SERVER_NOW}
local interval = tonumber(ARGV[1]) / tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local slack = ${FLOAT_SLACK}
local tolerance = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nextTat = tat + cost * interval
local wait = nextTat - tolerance - now
if wait > slack then
  return { math.floor((tolerance - (tat - now)) / interval + slack), math.ceil(tat - now - slack), math.ceil(wait - slack) }
end
local reset = math.ceil(nextTat - now - slack)
redis.call('SET', KEYS[1], string.format("%.17g", nextTat), 'PX', reset + 1000)
return { math.floor((tolerance - (nextTat - now)) / interval + slack), reset }
`;

/**
 * GCRA (generic cell rate algorithm): requests are spaced `durationMs / points` apart with a
 * tolerance of `burst` requests. It decides exactly like a token bucket of the same size and rate
 * but keeps one number per key instead of two.
 */
export const gcra: RateLimitAlgorithm<GcraState> = {
  name: 'gcra',
  keyTag: 'gcra',
  capacity: (limit) => limit.burst,
  script: new RedisScript(GCRA_LUA),
  scriptArguments: (limit, cost) => [limit.durationMs, limit.points, limit.burst, cost],
  evaluate(limit, state, cost, now) {
    const interval = limit.durationMs / limit.points;
    const tolerance = interval * limit.burst;
    const tat = Math.max(state?.tat ?? now, now);
    const next = tat + cost * interval;
    const wait = next - tolerance - now;
    if (wait > FLOAT_SLACK) {
      const resetMs = Math.ceil(tat - now - FLOAT_SLACK);
      return {
        allowed: false,
        remaining: Math.floor((tolerance - (tat - now)) / interval + FLOAT_SLACK),
        resetMs,
        retryAfterMs: Math.ceil(wait - FLOAT_SLACK),
        state: { tat },
        ttlMs: resetMs + 1000,
      };
    }
    const resetMs = Math.ceil(next - now - FLOAT_SLACK);
    return {
      allowed: true,
      remaining: Math.floor((tolerance - (next - now)) / interval + FLOAT_SLACK),
      resetMs,
      retryAfterMs: 0,
      state: { tat: next },
      ttlMs: resetMs + 1000,
    };
  },
};
