import {
  RedisClusterInspector,
  RedisUnavailableError,
  parseRedisEnv,
  type RedisModuleOptions,
} from '@sentinel-kit/redis';
import {
  CapturedLogger,
  createTestCertificates,
  findFreePort,
  sendCommand,
  startStandaloneRedis,
  tlsConfigLines,
  waitFor,
  type RedisServerProcess,
  type TestCertificates,
} from '@sentinel-kit/testing';
import { timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 300;
/** Slack for a loaded 2-core machine on top of the bounds. */
const SLACK_MS = 1500;

/**
 * TLS to a redis-server whose certificate names only `redis.test`, made by a CA of the test's own:
 * the application dials 127.0.0.1, as it does an address the sentinels hand out. The node keeps a
 * plain port for the harness.
 */
describe('TLS settings (REDIS_TLS_*) against a redis-server with a certificate of its own', () => {
  let certs: TestCertificates;
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let tlsPort: number;
  const apps: RedisTestApp[] = [];

  const start = async (options: RedisModuleOptions, logs = new CapturedLogger()) => {
    const app = await startRedisModule(
      {
        host: '127.0.0.1',
        port: tlsPort,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        ...options,
        // Every answer from Redis: no memory fallback hides a refused connection.
        fallback: { enabled: false },
      },
      logs,
    );
    apps.push(app);
    return { ...app, logs };
  };
  /** What the environment gives: the TLS variables with their files. */
  const fromEnv = (env: Record<string, string>) =>
    parseRedisEnv({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(tlsPort), REDIS_TLS: 'true', ...env });

  beforeAll(async () => {
    certs = createTestCertificates(['redis.test']);
    tlsPort = await findFreePort();
    ({ server, dispose } = await startStandaloneRedis({ configLines: tlsConfigLines(certs, tlsPort) }));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    await sendCommand(server.endpoint, 'CONFIG', ['SET', 'tls-auth-clients', 'no']);
  });
  afterAll(async () => {
    await dispose?.();
    certs?.dispose();
  });

  it('checks the certificate against REDIS_TLS_SERVERNAME, trusting REDIS_TLS_CA_FILE', async () => {
    const { cache } = await start(fromEnv({ REDIS_TLS_CA_FILE: certs.caFile, REDIS_TLS_SERVERNAME: 'redis.test' }));
    await cache.set('tls:one', 'v');
    expect(await cache.get('tls:one')).toBe('v');
    expect(await sendCommand(server.endpoint, 'GET', ['app:tls:one'])).toBe('v');
  });

  it('refuses the connection, saying why, when the dialled IP is not in the certificate', async () => {
    const { cache, logs } = await start(fromEnv({ REDIS_TLS_CA_FILE: certs.caFile }));
    const write = await timed(() => cache.set('tls:no-name', 'v'));
    expect(write.error).toBeInstanceOf(RedisUnavailableError);
    expect(write.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(logs.lines.join('\n')).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('refuses a node whose CA it was not given', async () => {
    const { cache, logs } = await start({ tls: { servername: 'redis.test' } });
    await expect(cache.set('tls:untrusted', 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(logs.lines.join('\n')).toMatch(/self[- ]signed certificate/);
  });

  it('shows a client certificate where the node requires one (REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE)', async () => {
    await sendCommand(server.endpoint, 'CONFIG', ['SET', 'tls-auth-clients', 'yes']);
    const without = await start({ tls: { ca: certs.ca, servername: 'redis.test' } });
    await expect(without.cache.set('tls:anonymous', 'v')).rejects.toBeInstanceOf(RedisUnavailableError);
    const withCert = await start(
      fromEnv({
        REDIS_TLS_CA_FILE: certs.caFile,
        REDIS_TLS_SERVERNAME: 'redis.test',
        REDIS_TLS_CERT_FILE: certs.client.certFile,
        REDIS_TLS_KEY_FILE: certs.client.keyFile,
      }),
    );
    await withCert.cache.set('tls:client-cert', 'v');
    expect(await withCert.cache.get('tls:client-cert')).toBe('v');
  });

  it('warns, in the logs and /health/redis, when certificates are not checked', async () => {
    const unchecked = await start(fromEnv({ REDIS_TLS_REJECT_UNAUTHORIZED: 'false' }));
    await unchecked.cache.set('tls:unchecked', 'v');
    const warning = /TLS to the data nodes does not check certificates/;
    expect((await unchecked.app.get(RedisClusterInspector).inspect(0)).warnings).toContainEqual(
      expect.stringMatching(warning),
    );
    await waitFor(() => unchecked.logs.lines.some((line) => warning.test(line)), {
      description: 'the warning in the log',
    });
    const checked = await start(fromEnv({ REDIS_TLS_CA_FILE: certs.caFile, REDIS_TLS_SERVERNAME: 'redis.test' }));
    expect((await checked.app.get(RedisClusterInspector).inspect(0)).warnings).not.toContainEqual(
      expect.stringMatching(warning),
    );
  });

  it('never logs the private key', async () => {
    const { cache, logs } = await start({
      tls: { ca: certs.ca, servername: 'redis.test', cert: certs.client.cert, key: certs.client.key },
    });
    await cache.set('tls:key', 'v');
    const body = certs.client.key.split('\n')[1];
    expect(logs.lines.join('\n')).not.toContain(body);
  });
});
