import { Injectable } from '@nestjs/common';
import { RedisMetrics, counterReadAtScrape } from '@sentinel-kit/redis';

/** Who decided: Redis, this process's memory, or nobody (fail open). */
export type DecisionSource = 'redis' | 'memory' | 'none';

/**
 * `rate_limit_decisions_total{result, store}` in the application's metrics registry: requests
 * allowed and rejected, by who decided (6 series at most). Counted as plain numbers (one addition
 * per decision, no allocation), read when scraped.
 */
@Injectable()
export class RateLimitMetrics {
  /** `[allowed, rejected]` per source (the `store` label). */
  private readonly counts: Record<DecisionSource, [number, number]> = { redis: [0, 0], memory: [0, 0], none: [0, 0] };

  constructor(metrics: RedisMetrics) {
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'rate_limit_decisions_total',
        help: 'Rate-limit decisions, by result (allowed, rejected) and by who decided (redis, memory, none).',
        labelNames: ['result', 'store'],
      },
      () =>
        Object.entries(this.counts).flatMap(([store, [allowed, rejected]]) => [
          [{ result: 'allowed', store }, allowed],
          [{ result: 'rejected', store }, rejected],
        ]),
    );
  }

  /** A request was allowed (or rejected) by `source`. */
  decided(result: 'allowed' | 'rejected', source: DecisionSource): void {
    this.counts[source][result === 'allowed' ? 0 : 1] += 1;
  }
}
