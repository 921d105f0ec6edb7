import { configIssues } from '@sentinel-kit/test-support';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import { resolveLockOptions } from './lock-options';

const standalone = resolveRedisOptions({ host: '127.0.0.1', port: 6380 });
const sentinel = resolveRedisOptions({
  sentinel: { sentinels: [26380, 26381, 26382].map((port) => ({ host: '127.0.0.1', port })) },
});

describe('resolveLockOptions', () => {
  it('waits for one replica where a failover can replace the primary, for none on a standalone Redis', () => {
    expect(resolveLockOptions({}, sentinel)).toEqual({ replicas: 1, replicationTimeoutMs: 250, defaultTtlMs: 30_000 });
    expect(resolveLockOptions({}, standalone).replicas).toBe(0);
    expect(resolveLockOptions({ replicas: 2, defaultTtlMs: 5000 }, sentinel)).toMatchObject({
      replicas: 2,
      defaultTtlMs: 5000,
    });
  });

  it('names every bad option, and a WAIT that could outlast the command timeout', () => {
    expect(
      configIssues(() => resolveLockOptions({ replicas: -1, defaultTtlMs: 10, extra: 1 } as never, sentinel)),
    ).toEqual([
      'replicas: expected an integer from 0 to 100, got "-1"',
      'defaultTtlMs: expected an integer from 100 to 86400000, got "10"',
      '(options): unknown option(s) "extra"',
    ]);
    expect(configIssues(() => resolveLockOptions({ replicationTimeoutMs: 1000 }, sentinel))).toEqual([
      'replicationTimeoutMs: must be below the Redis command timeout (500 ms), got "1000"',
    ]);
  });
});
