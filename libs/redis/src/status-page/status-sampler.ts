import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisMetrics, type RedisMetricsMark } from '../metrics/redis-metrics';
import { STATUS_PAGE_RESOLVED_OPTIONS, type ResolvedStatusPageOptions } from './status-page.options';

/** One point of the status page's live chart: the Redis calls of one interval. */
export interface StatusSample {
  /** End of the interval (ISO time). */
  at: string;
  /** Latency percentiles of the interval's calls, in ms (0 without calls). */
  p50Ms: number;
  p99Ms: number;
  callsPerSecond: number;
  /** Calls that failed, per second. */
  errorsPerSecond: number;
}

/** Whether Redis takes calls (`connected`) or they are served from memory or refused (`degraded`), and since when. */
export interface CircuitView {
  state: 'connected' | 'degraded';
  /** ISO time: when the circuit opened, or when this instance first saw the present state. */
  since: string;
}

/**
 * Takes a point of the live chart every `intervalMs`, whether or not a page is open, so that a new
 * page starts with the recent past; keeps the last `chartPoints`. Also follows the circuit's state
 * and when it changed.
 */
@Injectable()
export class StatusSampler implements OnModuleInit, OnApplicationShutdown {
  private readonly points: StatusSample[] = [];
  private readonly taken = new Subject<StatusSample>();
  private mark!: RedisMetricsMark;
  private timer?: NodeJS.Timeout;
  private circuit!: CircuitView;

  constructor(
    private readonly metrics: RedisMetrics,
    private readonly executor: RedisExecutor,
    @Inject(STATUS_PAGE_RESOLVED_OPTIONS) private readonly options: ResolvedStatusPageOptions,
  ) {}

  onModuleInit(): void {
    this.mark = this.metrics.mark();
    this.circuit = { state: this.stateNow(), since: (this.executor.degradedSince ?? new Date()).toISOString() };
    this.timer = setInterval(() => this.sample(), this.options.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.taken.complete();
  }

  /** Every new point, as it is taken. */
  get samples$(): Observable<StatusSample> {
    return this.taken.asObservable();
  }

  /** The points kept, oldest first. */
  recent(): StatusSample[] {
    return [...this.points];
  }

  /** The circuit's state now, and since when. */
  circuitNow(): CircuitView {
    const state = this.stateNow();
    if (state !== this.circuit.state) {
      const since = state === 'degraded' ? (this.executor.degradedSince ?? new Date()) : new Date();
      this.circuit = { state, since: since.toISOString() };
    }
    return this.circuit;
  }

  private stateNow(): CircuitView['state'] {
    return this.executor.degraded ? 'degraded' : 'connected';
  }

  private sample(): void {
    const now = Date.now();
    const interval = this.metrics.since(this.mark, now);
    this.mark = this.metrics.mark(now);
    const perSecond = (count: number) =>
      interval.durationMs > 0 ? Math.round((count * 10_000) / interval.durationMs) / 10 : 0;
    const point: StatusSample = {
      at: new Date(now).toISOString(),
      p50Ms: interval.p50Ms,
      p99Ms: interval.p99Ms,
      callsPerSecond: perSecond(interval.calls),
      errorsPerSecond: perSecond(interval.errors),
    };
    this.circuitNow();
    this.points.push(point);
    if (this.points.length > this.options.chartPoints) this.points.shift();
    this.taken.next(point);
  }
}
