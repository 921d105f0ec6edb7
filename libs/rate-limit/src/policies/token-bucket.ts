import { RedisScript } from '@sentinel-kit/redis/internal';
import { FLOAT_SLACK, type RateLimitAlgorithm } from './rate-limit-algorithm';

/** Stored state of one token bucket: when it will be full again, epoch milliseconds. */
export interface BucketState {
  fullAt: number;
}

/**
 * KEYS: bucket. ARGV: capacity, points, duration ms, cost (whole numbers: quicker to send than a
 * rate). The bucket's state is the key's own expiry: the key lives exactly until the bucket is full
 * again (its value keeps the sub-millisecond rest), so a missing key is a full bucket. The server's
 * clock is read through PTTL, and each call costs PTTL, GET and one SET. A refusal writes nothing
 * (a flood of refused requests costs no replication traffic).
 */
const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local slack = ${FLOAT_SLACK}
local untilFull = redis.call('PTTL', KEYS[1])
if untilFull < 0 then
  untilFull = 0
else
  untilFull = math.max(0, untilFull + tonumber(redis.call('GET', KEYS[1]) or '0'))
end
local tokens = capacity - untilFull * rate + slack
if tokens < cost then
  return { math.floor(tokens), math.ceil(untilFull - slack), math.ceil((cost - tokens) / rate) }
end
untilFull = untilFull + cost / rate
local ttl = math.max(1, math.floor(untilFull))
redis.call('SET', KEYS[1], untilFull - ttl, 'PX', ttl)
return { math.floor(tokens - cost), math.ceil(untilFull - slack) }
`;

/**
 * Token bucket: up to `burst` tokens, refilled continuously at `points / durationMs`; a request
 * takes `cost` tokens. Kept as "time until full" (tokens = burst − time until full × rate), which
 * in Redis is the key's expiry.
 */
export const tokenBucket: RateLimitAlgorithm<BucketState> = {
  name: 'token-bucket',
  keyTag: 'tb',
  capacity: (limit) => limit.burst,
  script: new RedisScript(TOKEN_BUCKET_LUA),
  scriptArguments: (limit, cost) => [limit.burst, limit.points, limit.durationMs, cost],
  evaluate(limit, state, cost, now) {
    const rate = limit.points / limit.durationMs;
    const untilFull = Math.max(0, (state?.fullAt ?? now) - now);
    const tokens = limit.burst - untilFull * rate + FLOAT_SLACK;
    if (tokens < cost) {
      return {
        allowed: false,
        remaining: Math.floor(tokens),
        resetMs: Math.ceil(untilFull - FLOAT_SLACK),
        retryAfterMs: Math.ceil((cost - tokens) / rate),
        state: { fullAt: now + untilFull },
        ttlMs: Math.ceil(untilFull),
      };
    }
    const next = untilFull + cost / rate;
    return {
      allowed: true,
      remaining: Math.floor(tokens - cost),
      resetMs: Math.ceil(next - FLOAT_SLACK),
      retryAfterMs: 0,
      state: { fullAt: now + next },
      ttlMs: Math.ceil(next),
    };
  },
};
