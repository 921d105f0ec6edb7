import { Inject, Injectable, type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import {
  ReplaySubject,
  Subject,
  exhaustMap,
  from,
  interval,
  map,
  merge,
  of,
  share,
  startWith,
  takeUntil,
  type Observable,
} from 'rxjs';
import { RedisClusterInspector } from '../health/redis-cluster.inspector';
import type { RedisClusterView } from '../health/redis-cluster.view';
import { RedisStatusService } from '../health/redis-status.service';
import { STATUS_PAGE_RESOLVED_OPTIONS, type ResolvedStatusPageOptions } from './status-page.options';
import { StatusSampler, type CircuitView } from './status-sampler';

/** What the status page draws: the detailed view of the group (as `GET /health/redis`) and the circuit. */
export interface StatusFrame {
  view: RedisClusterView;
  circuit: CircuitView;
}

/**
 * The events of the status page's live feed. Every open feed shares one collection of the view per
 * interval (and one more, fresh, at each failover), so ten open pages cost the group what one does;
 * nothing is collected while no page is open.
 */
@Injectable()
export class RedisStatusFeed implements BeforeApplicationShutdown {
  private readonly closing = new Subject<void>();
  private readonly frames: Observable<StatusFrame>;

  constructor(
    inspector: RedisClusterInspector,
    status: RedisStatusService,
    private readonly sampler: StatusSampler,
    @Inject(STATUS_PAGE_RESOLVED_OPTIONS) options: ResolvedStatusPageOptions,
  ) {
    const ticks = interval(options.intervalMs).pipe(
      startWith(-1),
      map(() => options.intervalMs),
    );
    const failovers = status.failovers$.pipe(map(() => 0));
    this.frames = merge(ticks, failovers).pipe(
      // A collection is bounded (750 ms at most); a tick that comes while one runs is skipped.
      exhaustMap((maxAgeMs) =>
        from(inspector.inspect(maxAgeMs)).pipe(map((view) => ({ view, circuit: sampler.circuitNow() }))),
      ),
      share({ connector: () => new ReplaySubject<StatusFrame>(1), resetOnRefCountZero: true }),
    );
  }

  /**
   * One feed: `samples` (the chart's points so far) first, then a `status` frame every interval
   * and at each failover, and a `sample` per new point of the chart. Completes at shutdown.
   */
  events(): Observable<MessageEvent> {
    return merge(
      of<MessageEvent>({ type: 'samples', data: this.sampler.recent() }),
      this.frames.pipe(map((frame): MessageEvent => ({ type: 'status', data: frame }))),
      this.sampler.samples$.pipe(map((point): MessageEvent => ({ type: 'sample', data: point }))),
    ).pipe(takeUntil(this.closing));
  }

  /** Ends every feed before Nest closes the HTTP server, which waits for open connections. */
  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }
}
