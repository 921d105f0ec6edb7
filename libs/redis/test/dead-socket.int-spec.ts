import { RedisOutcomeUnknownError } from '@sentinel-kit/redis';
import { TcpProxy, sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 300;
/** Slack for a loaded 2-core machine: a reconnect, its handshake, scheduling. */
const SLACK_MS = 1500;

describe('a connection that dies silently (no FIN, no RST), behind a loopback proxy', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let proxy: TcpProxy;
  let app: RedisTestApp | undefined;

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  beforeEach(async () => {
    proxy = await TcpProxy.start(server.endpoint);
  });
  afterEach(async () => {
    await app?.app.close();
    app = undefined;
    await proxy.stop();
  });
  afterAll(async () => dispose?.());

  const start = (fallback: boolean) =>
    startRedisModule({
      host: proxy.host,
      port: proxy.port,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      fallback: { enabled: fallback },
      circuit: { probeIntervalMs: 100 },
    });

  it('is torn down and replaced within a few command timeouts, and writes succeed again by themselves', async () => {
    app = await start(false);
    await app.cache.set('before', '1');
    const connectionsBefore = proxy.connectionsAccepted;
    proxy.freezeExisting();
    const frozenAt = performance.now();

    // The socket looks healthy: the write goes out and is never answered.
    const lost = await timed(() => app!.cache.set('during', '1'));
    expect(lost.error).toBeInstanceOf(RedisOutcomeUnknownError);
    await waitFor(() => app!.cache.set('after', '1').then(() => true), {
      description: 'a write to succeed on a new connection',
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const recoveredMs = performance.now() - frozenAt;
    reportMeasure('writes again after a connection went silent', recoveredMs);
    expect(recoveredMs).toBeLessThan(3 * COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(proxy.connectionsAccepted).toBeGreaterThan(connectionsBefore);
    expect(await sendCommand(server.endpoint, 'GET', ['app:after'])).toBe('1');
    expect(app.logs.lines.some((line) => line.includes('Socket timeout'))).toBe(true);
  });

  it('lets the circuit breaker recover: its probes do not keep going down the dead socket', async () => {
    app = await start(true);
    const { cache, status } = app;
    await cache.set('before', '1');
    proxy.freezeExisting();
    // Enough failed calls to open the circuit (each one bounded by the command timeout).
    await Promise.all(Array.from({ length: 3 }, (_, i) => cache.get(`k${i}`)));
    expect(status.getStatus().degraded).toBe(true);
    await waitFor(() => !status.getStatus().degraded && status.getStatus().connected, {
      description: 'the module to leave degraded mode on a new connection',
      timeoutMs: 3 * COMMAND_TIMEOUT_MS + SLACK_MS + 2000,
    });
    await cache.set('after', '2');
    expect(await sendCommand(server.endpoint, 'GET', ['app:after'])).toBe('2');
  });
});
