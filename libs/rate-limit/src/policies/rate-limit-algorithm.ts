import type { RedisScript } from '@sentinel-kit/redis/internal';

/** The algorithms a limit can use. */
export type RateLimitAlgorithmName = 'token-bucket' | 'gcra' | 'sliding-window';

/** A validated limit: `points` per `durationMs`, bursts up to `burst`. */
export interface LimitParameters {
  points: number;
  durationMs: number;
  /** Bucket size for `token-bucket` and `gcra`; equal to `points` for `sliding-window`. */
  burst: number;
}

/** The outcome of one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests of cost 1 still allowed right now. */
  remaining: number;
  /** Until the full allowance is available again. */
  resetMs: number;
  /** Until this request would be allowed (0 when allowed). */
  retryAfterMs: number;
}

/** A decision of the in-memory twin, with the state to keep and for how long. */
export interface MemoryDecision<S> extends RateLimitDecision {
  state: S;
  /** How long the state matters; it can be dropped afterwards. */
  ttlMs: number;
}

/**
 * One algorithm, twice: atomically in Redis on the server's clock (`script`, returning
 * `{ remaining, resetMs }` when allowed and `{ remaining, resetMs, retryAfterMs }` when refused:
 * the shortest replies to decode), and in TypeScript with the same arithmetic
 * for the per-process fallback (`evaluate`).
 */
export interface RateLimitAlgorithm<S = unknown> {
  readonly name: RateLimitAlgorithmName;
  /** Short tag in Redis keys, so that changing a limit's algorithm starts fresh state. */
  readonly keyTag: string;
  /** The largest cost one request may have, also reported as `limit`. */
  capacity(limit: LimitParameters): number;
  readonly script: RedisScript;
  /** ARGV of `script` for one request of `cost`. */
  scriptArguments(limit: LimitParameters, cost: number): number[];
  evaluate(limit: LimitParameters, state: S | null, cost: number, now: number): MemoryDecision<S>;
}

/**
 * Slack for floating-point comparisons, in the units compared (milliseconds or points): without it
 * `7 × (60000 / 7)` may exceed `60000` and refuse the seventh of seven requests.
 */
export const FLOAT_SLACK = 1e-6;

/** Lua prologue shared by the scripts: `now` in epoch milliseconds from the server's clock. */
export const LUA_SERVER_NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;
