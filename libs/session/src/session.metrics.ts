import { Injectable } from '@nestjs/common';
import { RedisMetrics, counterReadAtScrape } from '@sentinel-kit/redis';

/**
 * Session metrics in the application's registry: `sessions_created_total{storage}` (`redis` or, while
 * Redis is away, `memory`) and `sessions_unreplicated_total` (durable writes that replicas did not
 * confirm in time, raised as errors or logged as warnings).
 */
@Injectable()
export class SessionMetrics {
  private readonly created = { redis: 0, memory: 0 };
  private unreplicated = 0;

  constructor(metrics: RedisMetrics) {
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'sessions_created_total',
        help: 'Sessions created, by where they were stored (redis, or memory while Redis was unreachable).',
        labelNames: ['storage'],
      },
      () => Object.entries(this.created).map(([storage, count]) => [{ storage }, count]),
    );
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'sessions_unreplicated_total',
        help: 'Durable session writes that replicas did not confirm in time (their durability was lost).',
      },
      () => [[{}, this.unreplicated]],
    );
  }

  sessionCreated(storage: 'redis' | 'memory'): void {
    this.created[storage] += 1;
  }

  writeUnreplicated(): void {
    this.unreplicated += 1;
  }
}
