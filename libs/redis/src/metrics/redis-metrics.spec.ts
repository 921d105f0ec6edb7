import { RedisMetrics } from './redis-metrics';

describe('RedisMetrics.since', () => {
  it('reports the calls, errors and latency percentiles of the interval only', () => {
    const metrics = new RedisMetrics(100);
    for (let ms = 1; ms <= 10; ms += 1) metrics.recordLatency(100 + ms, 'read', 'primary');
    metrics.recordError('REDIS_UNAVAILABLE');
    const mark = metrics.mark(1000);
    for (let ms = 1; ms <= 50; ms += 1) metrics.recordLatency(ms, 'read', 'replica');
    for (let ms = 51; ms <= 100; ms += 1) metrics.recordLatency(ms, 'write', 'primary');
    metrics.recordError('REDIS_OUTCOME_UNKNOWN');
    metrics.recordError('ERR');

    expect(metrics.since(mark, 3000)).toEqual({ calls: 100, errors: 2, p50Ms: 51, p99Ms: 100, durationMs: 2000 });
  });

  it('takes the latest samples of a class once the interval has more calls than the ring holds', () => {
    const metrics = new RedisMetrics(10);
    const mark = metrics.mark(0);
    for (let ms = 1; ms <= 25; ms += 1) metrics.recordLatency(ms, 'read', 'primary');

    const interval = metrics.since(mark, 1000);
    expect(interval.calls).toBe(25);
    expect([interval.p50Ms, interval.p99Ms]).toEqual([21, 25]);
  });

  it('answers zeros for an interval without calls', () => {
    const metrics = new RedisMetrics(10);
    metrics.recordLatency(5, 'write', 'primary');
    const mark = metrics.mark(0);
    expect(metrics.since(mark, 1000)).toEqual({ calls: 0, errors: 0, p50Ms: 0, p99Ms: 0, durationMs: 1000 });
  });
});
