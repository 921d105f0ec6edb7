import { Injectable } from '@nestjs/common';
import { RedisMetrics, counterReadAtScrape } from '@sentinel-kit/redis';
import { Gauge } from 'prom-client';
import { EventStreamLimits } from '@sentinel-kit/redis';

/**
 * `/events` metrics in the application's registry: `events_streams_open` (streams open on this
 * instance), `events_streams_refused_total{scope}` (streams refused by a cap: `instance` or
 * `client`) and `events_streams_lagged_total` (streams dropped because their reader fell behind).
 */
@Injectable()
export class EventsMetrics {
  private readonly refused = { instance: 0, client: 0 };
  private lagged = 0;

  constructor(metrics: RedisMetrics, limits: EventStreamLimits) {
    new Gauge({
      name: 'events_streams_open',
      help: 'GET /events streams open on this instance.',
      registers: [metrics.registry],
      collect() {
        this.set(limits.open);
      },
    });
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'events_streams_refused_total',
        help: 'GET /events streams refused (429) by the per-instance or per-client cap.',
        labelNames: ['scope'],
      },
      () => Object.entries(this.refused).map(([scope, count]) => [{ scope }, count]),
    );
    counterReadAtScrape(
      metrics.registry,
      {
        name: 'events_streams_lagged_total',
        help: 'GET /events streams dropped (with a lagged notice) because their reader fell too far behind.',
      },
      () => [[{}, this.lagged]],
    );
  }

  streamRefused(scope: 'instance' | 'client'): void {
    this.refused[scope] += 1;
  }

  streamLagged(): void {
    this.lagged += 1;
  }
}
