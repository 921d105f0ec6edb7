import { Injectable } from '@nestjs/common';
import { RedisMetrics, counterReadAtScrape } from '@sentinel-kit/redis';

/** Who decided: Redis, this process's memory, or nobody (fail open). */
type DecisionStore = 'redis' | 'memory' | 'none';

/**
 * `rate_limit_decisions_total{result, store}` in the application's metrics registry: requests
 * allowed and rejected, by who decided (6 series at most). Counted as plain numbers, read when
 * scraped.
 */
@Injectable()
export class RateLimitMetrics {
  private readonly counts = new Map<string, number>();

  constructor(metrics: RedisMetrics) {
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'rate_limit_decisions_total',
        help: 'Rate-limit decisions, by result (allowed, rejected) and by who decided (redis, memory, none).',
        labelNames: ['result', 'store'],
      },
      () =>
        [...this.counts].map(([key, count]) => {
          const [result, store] = key.split(':');
          return [{ result, store }, count];
        }),
    );
  }

  record(allowed: boolean, store: DecisionStore): void {
    const key = `${allowed ? 'allowed' : 'rejected'}:${store}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
