/** A token bucket: up to `capacity` tokens, refilled continuously at `refillPerMs`. */
export interface TokenBucketPolicy {
  /** Largest burst (bucket size). */
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

/** Stored state of one bucket. */
export interface BucketState {
  tokens: number;
  /** Time of the last evaluation, epoch milliseconds. */
  updatedAt: number;
}

/** The outcome of taking `cost` tokens. */
export interface BucketDecision {
  allowed: boolean;
  /** Whole tokens left after this call. */
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
  /** Until `cost` tokens are available (0 when allowed). */
  retryAfterMs: number;
  state: BucketState;
}

/**
 * One evaluation, in TypeScript, with exactly the arithmetic of {@link TOKEN_BUCKET_LUA}; used by the
 * in-memory fallback and tested against the script.
 */
export function takeTokens(
  policy: TokenBucketPolicy,
  state: BucketState | null,
  cost: number,
  now: number,
): BucketDecision {
  const elapsed = state ? Math.max(0, now - state.updatedAt) : 0;
  let tokens = state ? Math.min(policy.capacity, state.tokens + elapsed * policy.refillPerMs) : policy.capacity;
  const allowed = tokens >= cost;
  if (allowed) tokens -= cost;
  return {
    allowed,
    remaining: Math.floor(tokens),
    resetMs: Math.ceil((policy.capacity - tokens) / policy.refillPerMs),
    retryAfterMs: allowed ? 0 : Math.ceil((cost - tokens) / policy.refillPerMs),
    state: { tokens, updatedAt: now },
  };
}

/**
 * The same evaluation atomically in Redis, on the server's clock (pods with skewed clocks agree).
 * KEYS: bucket. ARGV: capacity, refill per ms, cost.
 * Returns { allowed (0/1), remaining, resetMs, retryAfterMs }.
 */
export const TOKEN_BUCKET_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate)
end
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
local reset = math.ceil((capacity - tokens) / rate)
local retry = 0
if allowed == 0 then retry = math.ceil((cost - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], reset + 1000)
return { allowed, math.floor(tokens), reset, retry }
`;
