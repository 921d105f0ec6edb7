import { configIssues } from '@sentinel-kit/test-support';
import { resolveRateLimitEnv } from './rate-limit-env';

const issuesOf = (env: Record<string, string>) => configIssues(() => resolveRateLimitEnv(env));

describe('resolveRateLimitEnv', () => {
  it('defaults to the in-memory fallback with legacy headers', () => {
    expect(resolveRateLimitEnv({})).toEqual({
      defaultRule: undefined,
      rules: {},
      legacyHeaders: true,
      onRedisFailure: 'memory',
      memoryMaxKeys: 100_000,
      ipv6PrefixBits: 64,
    });
  });

  it('reads every variable', () => {
    expect(
      resolveRateLimitEnv({
        RATE_LIMIT_ON_REDIS_FAILURE: ' Closed ',
        RATE_LIMIT_LEGACY_HEADERS: 'no',
        RATE_LIMIT_MEMORY_MAX_KEYS: '500',
        RATE_LIMIT_IPV6_PREFIX: '56',
      }),
    ).toMatchObject({ onRedisFailure: 'closed', legacyHeaders: false, memoryMaxKeys: 500, ipv6PrefixBits: 56 });
  });

  it.each([
    [{ RATE_LIMIT_FAIL_OPEN: 'true' }, 'open'],
    [{ RATE_LIMIT_FAIL_OPEN: 'yes', RATE_LIMIT_ON_REDIS_FAILURE: 'open' }, 'open'],
    [{ RATE_LIMIT_FAIL_OPEN: 'false' }, 'memory'],
    [{ RATE_LIMIT_FAIL_OPEN: '0', RATE_LIMIT_ON_REDIS_FAILURE: 'closed' }, 'closed'],
  ])('%p gives the %s policy', (env, policy) => {
    expect(resolveRateLimitEnv(env).onRedisFailure).toBe(policy);
  });

  it.each([
    [{ RATE_LIMIT_IPV6_PREFIX: '16' }, 'RATE_LIMIT_IPV6_PREFIX: expected an integer from 32 to 128, got "16"'],
    [
      { RATE_LIMIT_ON_REDIS_FAILURE: 'maybe' },
      'RATE_LIMIT_ON_REDIS_FAILURE: expected memory, open or closed, got "maybe"',
    ],
    [
      { RATE_LIMIT_FAIL_OPEN: 'true', RATE_LIMIT_ON_REDIS_FAILURE: 'closed' },
      'RATE_LIMIT_FAIL_OPEN: true contradicts RATE_LIMIT_ON_REDIS_FAILURE "closed"; set only one of them',
    ],
    [
      { RATE_LIMIT_FAIL_OPEN: 'sometimes' },
      'RATE_LIMIT_FAIL_OPEN: expected one of true, false, 1, 0, yes, no, got "sometimes"',
    ],
    [
      { RATE_LIMIT_MEMORY_MAX_KEYS: '0' },
      'RATE_LIMIT_MEMORY_MAX_KEYS: expected an integer from 1 to 10000000, got "0"',
    ],
  ])('rejects %p', (env, message) => {
    expect(issuesOf(env)).toEqual([message]);
  });

  it('says which configuration is wrong', () => {
    expect(() => resolveRateLimitEnv({ RATE_LIMIT_ON_REDIS_FAILURE: 'x' })).toThrow(
      /^Invalid rate-limit configuration:/,
    );
  });
});
