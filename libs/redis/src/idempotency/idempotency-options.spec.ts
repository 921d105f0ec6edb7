import { configIssues } from '@sentinel-kit/test-support';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import { resolveIdempotencyOptions } from './idempotency-options';

const standalone = resolveRedisOptions({ host: '127.0.0.1', port: 6380 });
const sentinel = resolveRedisOptions({
  sentinel: { sentinels: [26380, 26381, 26382].map((port) => ({ host: '127.0.0.1', port })) },
});

describe('resolveIdempotencyOptions', () => {
  it('remembers keys for a day, with a 30 s lease, confirmed by one replica where a failover can replace the primary', () => {
    expect(resolveIdempotencyOptions({}, sentinel)).toMatchObject({
      ttlMs: 86_400_000,
      leaseMs: 30_000,
      replicas: 1,
      replicationTimeoutMs: 250,
      replayedHeaders: ['location'],
      maxAnswerBytes: 1_048_576,
    });
    expect(resolveIdempotencyOptions({}, standalone).replicas).toBe(0);
  });

  it('names every bad option', () => {
    expect(
      configIssues(() =>
        resolveIdempotencyOptions({ ttlMs: 10, replayedHeaders: ['Location'], scope: 'user' as never }, sentinel),
      ),
    ).toEqual([
      'ttlMs: expected an integer from 1000 to 2592000000, got "10"',
      'replayedHeaders.0: expected lower-case header names, got "Location"',
      'scope: expected a function, got "user"',
    ]);
    expect(configIssues(() => resolveIdempotencyOptions({ replicationTimeoutMs: 500 }, sentinel))).toEqual([
      'replicationTimeoutMs: must be below the Redis command timeout (500 ms), got "500"',
    ]);
  });
});
