import { RedisUnavailableError, parseRedisEnv, type RedisNodeAddress } from '@sentinel-kit/redis';
import {
  CapturedLogger,
  SentinelTopology,
  createTestCertificates,
  findFreePort,
  sendCommand,
  waitFor,
  type TestCertificates,
} from '@sentinel-kit/testing';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

/**
 * Sentinel mode with TLS to the data nodes: the sentinels hand out IP addresses (127.0.0.1), and the
 * nodes' certificate names only `redis.test`. Each node also listens with TLS on a port of its own,
 * which the application dials through `REDIS_NAT_MAP` (the sentinels, and the harness, keep the
 * plain ports); the sentinels are reached without TLS (`REDIS_SENTINEL_TLS=false`).
 */
describe('REDIS_TLS_SERVERNAME in Sentinel mode: certificates that name a host, sentinels that hand out IPs', () => {
  let topology: SentinelTopology;
  let certs: TestCertificates;
  const natMap: string[] = [];
  const apps: RedisTestApp[] = [];

  const start = async (env: Record<string, string>) => {
    const logs = new CapturedLogger();
    const options = parseRedisEnv({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinels.map(({ host, port }) => `${host}:${port}`).join(','),
      REDIS_SENTINEL_MASTER_NAME: topology.masterName,
      REDIS_SENTINEL_TLS: 'false',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: certs.caFile,
      REDIS_NAT_MAP: natMap.join(','),
      REDIS_COMMAND_TIMEOUT_MS: '500',
      REDIS_FALLBACK_ENABLED: 'false',
      ...env,
    });
    const app = await startRedisModule(
      { ...options, sentinel: { ...options.sentinel!, masterCheckIntervalMs: 1000 } },
      logs,
    );
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    certs = createTestCertificates(['redis.test']);
    topology = await SentinelTopology.start({ downAfterMs: 2000 });
    for (const node of topology.dataNodes) {
      const tlsPort = await findFreePort();
      await sendCommand(node.endpoint, 'CONFIG', [
        'SET',
        'tls-cert-file',
        certs.server.certFile,
        'tls-key-file',
        certs.server.keyFile,
        'tls-ca-cert-file',
        certs.caFile,
        'tls-auth-clients',
        'no',
        'tls-port',
        String(tlsPort),
      ]);
      const dialled: RedisNodeAddress = { host: '127.0.0.1', port: tlsPort };
      natMap.push(`${node.host}:${node.port}=${dialled.host}:${dialled.port}`);
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
    await topology?.stop();
    certs?.dispose();
  });

  it('refuses the nodes, saying why, without REDIS_TLS_SERVERNAME', async () => {
    // A short hold: the write waits for a primary that never becomes reachable.
    const { cache, logs } = await start({ REDIS_SENTINEL_WRITE_HOLD_MS: '1000' });
    await expect(cache.set('tls:no-name', 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(logs.lines.join('\n')).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('writes, reads and follows a failover with REDIS_TLS_SERVERNAME', async () => {
    const { cache } = await start({ REDIS_TLS_SERVERNAME: 'redis.test' });
    await cache.set('tls:sentinel', 'v');
    expect(await cache.get('tls:sentinel')).toBe('v');
    const old = await topology.primary();
    await old.kill();
    const promoted = await topology.waitForNewPrimary(old.port);
    await waitFor(() => cache.set('tls:after-failover', 'v').then(() => true), {
      description: 'writes on the new primary, over TLS',
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    expect(await sendCommand(promoted.endpoint, 'GET', ['app:tls:after-failover'])).toBe('v');
  });
});

/**
 * TLS to the sentinels only (`REDIS_SENTINEL_TLS`): each sentinel also listens with TLS, with a
 * certificate that names only `redis.test`; the data nodes stay plain (`REDIS_TLS=false`).
 */
describe('REDIS_SENTINEL_TLS: sentinels reached over TLS, data nodes in plain text', () => {
  let topology: SentinelTopology;
  let certs: TestCertificates;
  const apps: RedisTestApp[] = [];

  const start = async (env: Record<string, string>) => {
    const logs = new CapturedLogger();
    const options = parseRedisEnv({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinels.map(({ host, tlsPort }) => `${host}:${tlsPort}`).join(','),
      REDIS_SENTINEL_MASTER_NAME: topology.masterName,
      REDIS_SENTINEL_TLS: 'true',
      REDIS_SENTINEL_TLS_CA_FILE: certs.caFile,
      REDIS_COMMAND_TIMEOUT_MS: '500',
      REDIS_SENTINEL_WRITE_HOLD_MS: '1000',
      REDIS_FALLBACK_ENABLED: 'false',
      ...env,
    });
    const app = await startRedisModule(options, logs);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    certs = createTestCertificates(['redis.test']);
    topology = await SentinelTopology.start({ downAfterMs: 2000, sentinelTls: certs });
  });
  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
    await topology?.stop();
    certs?.dispose();
  });

  it('refuses the sentinels, saying why, without REDIS_SENTINEL_TLS_SERVERNAME', async () => {
    const { cache, logs } = await start({});
    await expect(cache.set('sentinel-tls:no-name', 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(logs.lines.join('\n')).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('finds the primary through the sentinels over TLS with REDIS_SENTINEL_TLS_SERVERNAME', async () => {
    const { cache, status } = await start({ REDIS_SENTINEL_TLS_SERVERNAME: 'redis.test' });
    await cache.set('sentinel-tls:one', 'v');
    expect(await cache.get('sentinel-tls:one')).toBe('v');
    const primary = await topology.primary();
    expect(await sendCommand(primary.endpoint, 'GET', ['app:sentinel-tls:one'])).toBe('v');
    expect(status.getStatus().sentinel?.currentMaster).toEqual({ host: primary.host, port: primary.port });
  });
});
