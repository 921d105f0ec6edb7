import { RedisConfigError } from '@sentinel-kit/redis';
import { resolveRateLimitOptions } from './resolve-rate-limit-options';

describe('resolveRateLimitOptions', () => {
  it('applies the defaults', () => {
    expect(resolveRateLimitOptions({})).toEqual({
      defaultRule: undefined,
      rules: {},
      legacyHeaders: true,
      onRedisFailure: 'memory',
      memoryMaxKeys: 100_000,
      ipv6PrefixBits: 64,
    });
  });

  it('lists every problem, naming the option', () => {
    try {
      resolveRateLimitOptions({
        onRedisFailure: 'sometimes' as never,
        defaultRule: { points: 0, duration: 'soon' },
      });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(RedisConfigError);
      expect((error as RedisConfigError).issues).toEqual([
        'defaultRule.points: expected a positive integer, got "0"',
        'defaultRule.duration: expected a duration such as 500ms, 60s, 15m, 1h or 1d, got "soon"',
        'onRedisFailure: expected memory, open or closed, got "sometimes"',
      ]);
    }
  });

  it('refuses a burst on a sliding window and an unknown algorithm', () => {
    expect(() =>
      resolveRateLimitOptions({ defaultRule: { points: 5, duration: '1m', burst: 9, algorithm: 'sliding-window' } }),
    ).toThrow('defaultRule.burst: burst applies to token-bucket and gcra, not to sliding-window');
    expect(() =>
      resolveRateLimitOptions({ defaultRule: { points: 5, duration: '1m', algorithm: 'leaky' as never } }),
    ).toThrow('defaultRule.algorithm: expected token-bucket, gcra or sliding-window, got "leaky"');
  });
});
