import { configIssues } from '@sentinel-kit/testing';
import { resolveApiEnv } from './api-env.config';

const issuesOf = (env: Record<string, string>) => configIssues(() => resolveApiEnv(env));

describe('resolveApiEnv', () => {
  it('defaults to port 3000, 10 per minute on the demo and login routes, 60 on events, no trusted proxy', () => {
    expect(resolveApiEnv({})).toEqual({
      port: 3000,
      demoRateLimit: { points: 10, duration: 60_000, name: 'demo' },
      loginRateLimit: { points: 10, duration: 60_000, name: 'login' },
      eventsRateLimit: { points: 60, duration: 60_000, name: 'events' },
      shutdownGraceMs: 10_000,
      trustProxy: false,
      healthHeapMaxMb: 1024,
      healthDetailsToken: undefined,
      adminToken: undefined,
      logFormat: 'text',
    });
  });

  it('reads every variable', () => {
    expect(
      resolveApiEnv({
        PORT: '8080',
        DEMO_RATE_LIMIT: '5/1s',
        LOGIN_RATE_LIMIT: '3 / 15m',
        EVENTS_RATE_LIMIT: '100/1m',
        SHUTDOWN_GRACE_MS: '0',
        TRUST_PROXY: '1',
        HEALTH_HEAP_MAX_MB: '256',
        HEALTH_DETAILS_TOKEN: 'a-long-enough-token',
        ADMIN_TOKEN: 'another-long-token',
        LOG_FORMAT: 'JSON',
      }),
    ).toEqual({
      port: 8080,
      demoRateLimit: { points: 5, duration: 1000, name: 'demo' },
      loginRateLimit: { points: 3, duration: 900_000, name: 'login' },
      eventsRateLimit: { points: 100, duration: 60_000, name: 'events' },
      shutdownGraceMs: 0,
      trustProxy: 1,
      healthHeapMaxMb: 256,
      healthDetailsToken: 'a-long-enough-token',
      adminToken: 'another-long-token',
      logFormat: 'json',
    });
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8,::1,fd00::/8', ['loopback', '10.0.0.0/8', '::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%p', (text, expected) => {
    expect(resolveApiEnv({ TRUST_PROXY: text }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT: expected an integer from 1 to 65535, got "70000"'],
    [{ PORT: 'http' }, 'PORT: expected an integer from 1 to 65535, got "http"'],
    [{ HEALTH_HEAP_MAX_MB: '8' }, 'HEALTH_HEAP_MAX_MB: expected an integer from 16 to 65536, got "8"'],
    [{ HEALTH_DETAILS_TOKEN: 'short-secret' }, 'HEALTH_DETAILS_TOKEN: expected at least 16 characters'],
    [{ SHUTDOWN_GRACE_MS: '10s' }, 'SHUTDOWN_GRACE_MS: expected an integer from 0 to 600000 (milliseconds), got "10s"'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT: expected text or json, got "xml"'],
    [{ DEMO_RATE_LIMIT: 'ten' }, 'DEMO_RATE_LIMIT: expected POINTS/DURATION such as 10/60s, got "ten"'],
    [
      { DEMO_RATE_LIMIT: '10/60x' },
      'DEMO_RATE_LIMIT: expected a duration such as 500ms, 60s, 15m, 1h or 1d, got "60x"',
    ],
    [{ LOGIN_RATE_LIMIT: '0/60s' }, 'LOGIN_RATE_LIMIT: expected POINTS/DURATION such as 10/60s, got "0/60s"'],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY: expected false, a hop count, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "true"',
    ],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'TRUST_PROXY: expected false, a hop count, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "10.0.0.0/33"',
    ],
  ])('rejects %p', (env, message) => {
    expect(issuesOf(env)).toEqual([message]);
  });

  it('reports every problem at once', () => {
    expect(() => resolveApiEnv({ PORT: '0', DEMO_RATE_LIMIT: 'x' })).toThrow(
      /^Invalid API configuration:\n {2}- PORT: .*\n {2}- DEMO_RATE_LIMIT: /,
    );
  });
});
