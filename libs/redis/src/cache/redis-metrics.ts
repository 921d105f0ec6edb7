import { REDIS_DEFAULTS } from '../redis.constants';

/** Counters as reported by health and status. */
export interface RedisMetricsSnapshot {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when there were no reads. */
  hitRate: number;
  sets: number;
  deletes: number;
  /** Calls that failed at Redis (each one counted once, whatever happened next). */
  errors: number;
  /** Calls served by the in-memory fallback. */
  fallbackOperations: number;
  /** Latency of Redis calls over the last samples, in milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number; samples: number };
}

/**
 * Counters and a fixed window of latency samples. Cheap on the hot path: an increment, or one
 * array write; percentiles are computed only when read.
 */
export class RedisMetrics {
  hits = 0;
  misses = 0;
  sets = 0;
  deletes = 0;
  errors = 0;
  fallbackOperations = 0;
  private readonly latencies: Float64Array;
  private latencyCount = 0;

  constructor(sampleSize: number = REDIS_DEFAULTS.latencySamples) {
    this.latencies = new Float64Array(sampleSize);
  }

  recordLatency(ms: number): void {
    this.latencies[this.latencyCount % this.latencies.length] = ms;
    this.latencyCount += 1;
  }

  snapshot(): RedisMetricsSnapshot {
    const reads = this.hits + this.misses;
    const samples = Math.min(this.latencyCount, this.latencies.length);
    const sorted = this.latencies.slice(0, samples).sort();
    const percentile = (p: number): number =>
      samples === 0 ? 0 : round(sorted[Math.min(samples - 1, Math.floor(p * samples))]);
    return {
      hits: this.hits,
      misses: this.misses,
      hitRate: reads === 0 ? 0 : round(this.hits / reads),
      sets: this.sets,
      deletes: this.deletes,
      errors: this.errors,
      fallbackOperations: this.fallbackOperations,
      latencyMs: { p50: percentile(0.5), p95: percentile(0.95), p99: percentile(0.99), samples },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
