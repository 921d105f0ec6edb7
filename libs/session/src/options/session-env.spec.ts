import { configIssues } from '@sentinel-kit/test-support';
import { resolveRedisOptions } from '@sentinel-kit/redis';
import { resolveSessionOptions } from './resolve-session-options';
import { parseSessionEnv, resolveSessionEnv } from './session-env';

const SENTINEL_ENV = { REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: 'a:1,b:2,c:3' };

const issuesOf = (env: Record<string, string>) => configIssues(() => resolveSessionEnv(env));

describe('resolveSessionEnv', () => {
  it('defaults to replicated durability and no memory fallback in Sentinel mode', () => {
    expect(resolveSessionEnv(SENTINEL_ENV)).toEqual({
      ttlSeconds: 1800,
      absoluteTtlSeconds: 86400,
      sliding: true,
      maxBytes: 16384,
      maxPerUser: 100,
      durability: 'replicated',
      replicas: 1,
      replicationTimeoutMs: 250,
      onUnreplicated: 'error',
      fallback: 'none',
    });
  });

  it('defaults to primary durability in standalone mode, with the memory fallback when Redis has one', () => {
    expect(resolveSessionEnv({})).toMatchObject({ durability: 'primary', fallback: 'memory' });
    expect(resolveSessionEnv({ REDIS_FALLBACK_ENABLED: 'false' }).fallback).toBe('none');
    expect(resolveSessionEnv({ ...SENTINEL_ENV, SESSION_FALLBACK: 'Memory' }).fallback).toBe('memory');
  });

  it('reads every variable', () => {
    expect(
      resolveSessionEnv({
        SESSION_TTL_SECONDS: '60',
        SESSION_ABSOLUTE_TTL_SECONDS: '600',
        SESSION_SLIDING: 'no',
        SESSION_MAX_BYTES: '2048',
        SESSION_MAX_PER_USER: '5',
        SESSION_DURABILITY: 'Replicated',
        SESSION_MIN_REPLICAS: '2',
        SESSION_REPLICATION_TIMEOUT_MS: '100',
        SESSION_ON_UNREPLICATED: 'warn',
        SESSION_FALLBACK: 'none',
      }),
    ).toEqual({
      ttlSeconds: 60,
      absoluteTtlSeconds: 600,
      sliding: false,
      maxBytes: 2048,
      maxPerUser: 5,
      durability: 'replicated',
      replicas: 2,
      replicationTimeoutMs: 100,
      onUnreplicated: 'warn',
      fallback: 'none',
    });
  });

  it.each([
    [{ SESSION_TTL_SECONDS: 'soon' }, 'SESSION_TTL_SECONDS: expected an integer, got "soon"'],
    [{ SESSION_MAX_BYTES: '0' }, 'SESSION_MAX_BYTES: expected an integer from 1 to 104857600, got "0"'],
    [{ SESSION_MAX_PER_USER: '10001' }, 'SESSION_MAX_PER_USER: expected an integer from 1 to 10000, got "10001"'],
    [{ SESSION_DURABILITY: 'strong' }, 'SESSION_DURABILITY: expected replicated or primary, got "strong"'],
    [{ SESSION_ON_UNREPLICATED: 'ignore' }, 'SESSION_ON_UNREPLICATED: expected error or warn, got "ignore"'],
    [{ SESSION_FALLBACK: 'disk' }, 'SESSION_FALLBACK: expected memory or none, got "disk"'],
    [
      { SESSION_FALLBACK: 'memory', REDIS_FALLBACK_ENABLED: 'false' },
      'SESSION_FALLBACK: memory needs the Redis in-memory fallback, which is off (REDIS_FALLBACK_ENABLED=false)',
    ],
    [{ SESSION_SLIDING: 'maybe' }, 'SESSION_SLIDING: expected one of true, false, 1, 0, yes, no, got "maybe"'],
    [
      { SESSION_TTL_SECONDS: '600', SESSION_ABSOLUTE_TTL_SECONDS: '60' },
      'SESSION_ABSOLUTE_TTL_SECONDS: must be at least SESSION_TTL_SECONDS (600), got "60"',
    ],
    [
      { ...SENTINEL_ENV, SESSION_REPLICATION_TIMEOUT_MS: '500' },
      'SESSION_REPLICATION_TIMEOUT_MS: must be below the Redis command timeout (500 ms), got "500"',
    ],
  ])('rejects %p', (env, message) => {
    expect(issuesOf(env)).toEqual([message]);
  });

  it('says which configuration is wrong', () => {
    expect(() => resolveSessionEnv({ SESSION_TTL_SECONDS: 'x' })).toThrow(/^Invalid session configuration:/);
  });

  it('checks the variables against Redis options configured in code, still naming the variables', () => {
    const redis = resolveRedisOptions({
      sentinel: { sentinels: [1, 2, 3].map((n) => ({ host: `sentinel-${n}`, port: 26379 })) },
      commandTimeoutMs: 200,
    });
    // REDIS_COMMAND_TIMEOUT_MS is unset (500 ms): the check must use the 200 ms the app configured.
    const options = parseSessionEnv({ SESSION_REPLICATION_TIMEOUT_MS: '250' });
    expect(configIssues(() => resolveSessionOptions(options, redis))).toEqual([
      'SESSION_REPLICATION_TIMEOUT_MS: must be below the Redis command timeout (200 ms), got "250"',
    ]);
    expect(resolveSessionOptions(parseSessionEnv({ SESSION_REPLICATION_TIMEOUT_MS: '150' }), redis)).toMatchObject({
      replicationTimeoutMs: 150,
      durability: 'replicated',
    });
  });
});
