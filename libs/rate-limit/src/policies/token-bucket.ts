import { RedisScript } from '@sentinel-kit/redis';
import { LUA_SERVER_NOW, type RateLimitAlgorithm } from './rate-limit-algorithm';

/** Stored state of one token bucket. */
export interface BucketState {
  tokens: number;
  /** Time of the last evaluation, epoch milliseconds. */
  updatedAt: number;
}

/**
 * KEYS: bucket. ARGV: capacity, refill per ms, cost. A refusal changes nothing, so it writes
 * nothing (a flood of refused requests costs no replication traffic).
 */
const TOKEN_BUCKET_LUA = `${LUA_SERVER_NOW}
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate)
end
if tokens < cost then
  return { 0, math.floor(tokens), math.ceil((capacity - tokens) / rate), math.ceil((cost - tokens) / rate) }
end
tokens = tokens - cost
local reset = math.ceil((capacity - tokens) / rate)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], reset + 1000)
return { 1, math.floor(tokens), reset, 0 }
`;

/**
 * Token bucket: up to `burst` tokens, refilled continuously at `points / durationMs`; a request
 * takes `cost` tokens.
 */
export const tokenBucket: RateLimitAlgorithm<BucketState> = {
  name: 'token-bucket',
  keyTag: 'tb',
  capacity: (limit) => limit.burst,
  script: new RedisScript(TOKEN_BUCKET_LUA),
  scriptArguments: (limit, cost) => [limit.burst, limit.points / limit.durationMs, cost],
  evaluate(limit, state, cost, now) {
    const rate = limit.points / limit.durationMs;
    const elapsed = state ? Math.max(0, now - state.updatedAt) : 0;
    let tokens = state ? Math.min(limit.burst, state.tokens + elapsed * rate) : limit.burst;
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    const resetMs = Math.ceil((limit.burst - tokens) / rate);
    return {
      allowed,
      remaining: Math.floor(tokens),
      resetMs,
      retryAfterMs: allowed ? 0 : Math.ceil((cost - tokens) / rate),
      state: allowed ? { tokens, updatedAt: now } : (state ?? { tokens, updatedAt: now }),
      ttlMs: resetMs + 1000,
    };
  },
};
