import { configIssues } from '@sentinel-kit/test-support';
import { resolveApiEnv } from './api-env.config';

const issuesOf = (env: Record<string, string>) => configIssues(() => resolveApiEnv(env));

describe('resolveApiEnv', () => {
  it('defaults to port 3000, 10 per minute on the demo and login routes, 60 on events, no trusted proxy', () => {
    expect(resolveApiEnv({})).toEqual({
      port: 3000,
      demoRateLimit: { points: 10, duration: 60_000, name: 'demo' },
      loginRateLimit: { points: 10, duration: 60_000, name: 'login' },
      eventsRateLimit: { points: 60, duration: 60_000, name: 'events' },
      authRateLimit: { points: 30, duration: 60_000, name: 'auth' },
      eventsMaxStreams: 1000,
      eventsMaxStreamsPerClient: 20,
      eventsMaxBufferedBytes: 1024 * 1024,
      eventsPublishToken: undefined,
      statusMaxStreams: 20,
      statusMaxStreamsPerClient: 4,
      sessionCookieSecure: 'auto',
      switchoverCooldownMs: 60_000,
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
        AUTH_RATE_LIMIT: '5/10s',
        EVENTS_MAX_STREAMS: '50',
        EVENTS_MAX_STREAMS_PER_IP: '2',
        EVENTS_MAX_BUFFER_BYTES: '65536',
        EVENTS_PUBLISH_TOKEN: 'a-publishing-token',
        STATUS_MAX_STREAMS: '5',
        STATUS_MAX_STREAMS_PER_IP: '1',
        SESSION_COOKIE_SECURE: 'True',
        SWITCHOVER_COOLDOWN_MS: '0',
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
      authRateLimit: { points: 5, duration: 10_000, name: 'auth' },
      eventsMaxStreams: 50,
      eventsMaxStreamsPerClient: 2,
      eventsMaxBufferedBytes: 65536,
      eventsPublishToken: 'a-publishing-token',
      statusMaxStreams: 5,
      statusMaxStreamsPerClient: 1,
      sessionCookieSecure: 'true',
      switchoverCooldownMs: 0,
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
    [{ SESSION_COOKIE_SECURE: 'yes' }, 'SESSION_COOKIE_SECURE: expected auto, true or false, got "yes"'],
    [{ EVENTS_MAX_STREAMS_PER_IP: '0' }, 'EVENTS_MAX_STREAMS_PER_IP: expected an integer from 1 to 1000000, got "0"'],
    [{ STATUS_MAX_STREAMS: '0' }, 'STATUS_MAX_STREAMS: expected an integer from 1 to 100000, got "0"'],
    [{ EVENTS_PUBLISH_TOKEN: 'short' }, 'EVENTS_PUBLISH_TOKEN: expected at least 16 characters'],
    [{ DEMO_RATE_LIMIT: 'ten' }, 'DEMO_RATE_LIMIT: expected POINTS/DURATION such as 10/60s, got "ten"'],
    [
      { DEMO_RATE_LIMIT: '10/60x' },
      'DEMO_RATE_LIMIT: expected a duration such as 500ms, 60s, 15m, 1h or 1d, got "60x"',
    ],
    [{ LOGIN_RATE_LIMIT: '0/60s' }, 'LOGIN_RATE_LIMIT: expected POINTS/DURATION such as 10/60s, got "0/60s"'],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY: expected false, a hop count from 1 to 5, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "true"',
    ],
    [
      { TRUST_PROXY: '1000' },
      'TRUST_PROXY: expected false, a hop count from 1 to 5, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "1000"',
    ],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'TRUST_PROXY: expected false, a hop count from 1 to 5, or proxy addresses/subnets such as 10.0.0.0/8,loopback (true would let any client choose its IP), got "10.0.0.0/33"',
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
