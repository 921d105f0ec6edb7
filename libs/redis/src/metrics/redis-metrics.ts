import { Registry } from 'prom-client';
import { FixedHistogram, counterReadAtScrape, type HistogramSeries } from './scraped-metrics';
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
  /** Latency of Redis calls over the latest samples of reads and of writes, in milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number; samples: number };
}

/** Where the counters stood at one moment, for {@link RedisMetrics.since}. */
export interface RedisMetricsMark {
  readonly reads: number;
  readonly writes: number;
  readonly errors: number;
  readonly at: number;
}

/** Redis calls between a {@link RedisMetricsMark} and now. */
export interface RedisMetricsInterval {
  /** Calls made, and calls that failed, in the interval. */
  calls: number;
  errors: number;
  /** Latency percentiles of the interval's calls (of the latest `sampleSize` of each class, if more), in ms; 0 without calls. */
  p50Ms: number;
  p99Ms: number;
  /** Length of the interval, in ms. */
  durationMs: number;
}

/** What a call did (`read` or `write`) and where it ran (`primary` or `replica`). */
export type CommandClass = 'read' | 'write';
export type CommandRole = 'primary' | 'replica';

/** `redis_errors_total{kind}`: the error codes of the toolkit, a bounded set. */
const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  REDIS_UNAVAILABLE: 'unavailable',
  REDIS_OUTCOME_UNKNOWN: 'outcome_unknown',
  REDIS_COMMAND_REJECTED: 'rejected',
  REDIS_NOPERM: 'permission',
};

type ErrorKind = 'unavailable' | 'outcome_unknown' | 'rejected' | 'permission' | 'other';

/** Seconds; Redis calls take from well under a millisecond to the command timeout. */
const COMMAND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The toolkit's metrics: plain counters and a fixed window of latency samples for health and
 * status, and a prom-client {@link registry} that `/metrics` exposes and that the other libraries
 * (rate limiting, sessions) add their metrics to. Cheap on the hot path: increments, one array
 * write and one histogram observation on a pre-bound series; prom-client reads the counters only
 * when scraped.
 */
export class RedisMetrics {
  private hits = 0;
  private misses = 0;
  private sets = 0;
  private deletes = 0;
  private errors = 0;
  private fallbackOperations = 0;
  /** Writes that waited for the primary during a failover (`sentinel.writeHoldMs`). */
  private heldWrites = 0;
  /** One registry per application (never the global one), so several apps can share a process. */
  readonly registry = new Registry();
  /** The latest `sampleSize` latencies of each command class; the overall window merges them. */
  private readonly latenciesByClass: Record<CommandClass, LatencyRing>;
  private readonly commandDuration: Record<CommandClass, Record<CommandRole, HistogramSeries>>;
  private readonly errorsByKind = new Map<ErrorKind, number>();

  constructor(sampleSize: number = REDIS_DEFAULTS.latencySamples) {
    this.latenciesByClass = { read: new LatencyRing(sampleSize), write: new LatencyRing(sampleSize) };
    const histogram = new FixedHistogram(
      'redis_command_duration_seconds',
      'Duration of Redis calls made by the toolkit, by what they did (command_class) and where they ran (role).',
      COMMAND_BUCKETS,
      this.registry,
    );
    this.commandDuration = {
      read: {
        primary: histogram.bind({ command_class: 'read', role: 'primary' }),
        replica: histogram.bind({ command_class: 'read', role: 'replica' }),
      },
      write: {
        primary: histogram.bind({ command_class: 'write', role: 'primary' }),
        replica: histogram.bind({ command_class: 'write', role: 'replica' }),
      },
    };
    counterReadAtScrape(
      this.registry,
      {
        name: 'redis_errors_total',
        help: 'Redis calls that failed, by kind (unavailable, outcome_unknown, rejected, permission, other).',
        labelNames: ['kind'],
      },
      () => [...this.errorsByKind].map(([kind, count]) => [{ kind }, count]),
    );
    counterReadAtScrape(
      this.registry,
      { name: 'redis_cache_hits_total', help: 'Cache reads that found a value.' },
      () => [[{}, this.hits]],
    );
    counterReadAtScrape(
      this.registry,
      { name: 'redis_cache_misses_total', help: 'Cache reads that found nothing.' },
      () => [[{}, this.misses]],
    );
    counterReadAtScrape(
      this.registry,
      { name: 'redis_fallback_operations_total', help: 'Calls answered by the in-memory fallback.' },
      () => [[{}, this.fallbackOperations]],
    );
    counterReadAtScrape(
      this.registry,
      {
        name: 'redis_held_writes_total',
        help: 'Writes that waited for the primary while it could not be reached (a failover), then were sent again or failed.',
      },
      () => [[{}, this.heldWrites]],
    );
  }

  /** A cache read found a value. */
  cacheHit(): void {
    this.hits += 1;
  }

  /** A cache read found nothing. */
  cacheMiss(): void {
    this.misses += 1;
  }

  /** A cache write. */
  cacheSet(): void {
    this.sets += 1;
  }

  /** A cache delete. */
  cacheDelete(): void {
    this.deletes += 1;
  }

  /** A call was answered by the in-memory fallback. */
  fallbackAnswered(): void {
    this.fallbackOperations += 1;
  }

  /** A write (or primary read) waited for the primary, which could not be reached. */
  callHeld(): void {
    this.heldWrites += 1;
  }

  /** One Redis call of `ms` milliseconds. */
  recordLatency(ms: number, commandClass: CommandClass, role: CommandRole): void {
    this.latenciesByClass[commandClass].push(ms);
    this.commandDuration[commandClass][role].observe(ms / 1000);
  }

  /** One failed Redis call, by its error code. */
  recordError(code: string): void {
    this.errors += 1;
    const kind = ERROR_KINDS[code] ?? 'other';
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
  }

  /** Redis calls made since start. */
  get calls(): number {
    return this.latenciesByClass.read.count + this.latenciesByClass.write.count;
  }

  /** The 99th percentile of the latest `command_class` calls, in milliseconds (0 without samples). */
  p99Ms(commandClass: CommandClass): number {
    return percentileOf(this.latenciesByClass[commandClass].window().sort(), 0.99);
  }

  /** Where the counters stand now: pass it to {@link since} later. */
  mark(now: number = Date.now()): RedisMetricsMark {
    return {
      reads: this.latenciesByClass.read.count,
      writes: this.latenciesByClass.write.count,
      errors: this.errors,
      at: now,
    };
  }

  /** The calls, errors and latency percentiles since `mark` (for a live chart). */
  since(mark: RedisMetricsMark, now: number = Date.now()): RedisMetricsInterval {
    const sorted = merged(
      this.latenciesByClass.read.latest(this.latenciesByClass.read.count - mark.reads),
      this.latenciesByClass.write.latest(this.latenciesByClass.write.count - mark.writes),
    ).sort();
    return {
      calls: this.latenciesByClass.read.count - mark.reads + (this.latenciesByClass.write.count - mark.writes),
      errors: this.errors - mark.errors,
      p50Ms: percentileOf(sorted, 0.5),
      p99Ms: percentileOf(sorted, 0.99),
      durationMs: now - mark.at,
    };
  }

  snapshot(): RedisMetricsSnapshot {
    const reads = this.hits + this.misses;
    const sorted = merged(this.latenciesByClass.read.window(), this.latenciesByClass.write.window()).sort();
    const samples = sorted.length;
    const percentile = (p: number): number => percentileOf(sorted, p);
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

/** The latest samples of one kind, overwritten in a circle. */
class LatencyRing {
  private readonly samples: Float64Array;
  count = 0;

  constructor(size: number) {
    this.samples = new Float64Array(size);
  }

  push(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count += 1;
  }

  /** A copy of the latest `n` samples (at most the ring's size). */
  latest(n: number): Float64Array {
    const size = Math.min(n, this.count, this.samples.length);
    const out = new Float64Array(size);
    for (let i = 0; i < size; i += 1) out[i] = this.samples[(this.count - size + i) % this.samples.length];
    return out;
  }

  /** A copy of the samples held (all of them once the ring is full). */
  window(): Float64Array {
    return this.samples.slice(0, Math.min(this.count, this.samples.length));
  }
}

function merged(first: Float64Array, second: Float64Array): Float64Array {
  const all = new Float64Array(first.length + second.length);
  all.set(first);
  all.set(second, first.length);
  return all;
}

/** The `p` quantile of ascending `sorted` samples, rounded to microseconds; 0 when empty. */
function percentileOf(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
