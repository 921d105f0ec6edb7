import { RedisUnavailableError, parseRedisEnv } from '@sentinel-kit/redis';
import {
  CapturedLogger,
  ClusterTopology,
  createTestCertificates,
  sendCommand,
  waitFor,
  type TestCertificates,
} from '@sentinel-kit/testing';
import { timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 500;
/** Slack for a loaded 2-core machine on top of the bounds. */
const SLACK_MS = 1500;

/**
 * Cluster mode over TLS (the REDIS_TLS_* variables, as in the other modes) on a real 6-node cluster
 * whose nodes speak TLS to each other and whose certificate names only `redis.test`: the cluster
 * hands out IP addresses, so the application dials 127.0.0.1 and checks the certificate against
 * REDIS_TLS_SERVERNAME. A TLS client is told the nodes' TLS ports; the harness uses the plain ones.
 */
describe('Cluster mode over TLS', () => {
  let certs: TestCertificates;
  let cluster: ClusterTopology;
  const apps: RedisTestApp[] = [];

  const start = async (env: Record<string, string>) => {
    const logs = new CapturedLogger();
    const options = parseRedisEnv({
      REDIS_CLUSTER_ENABLED: 'true',
      REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `127.0.0.1:${node.tlsPort}`).join(','),
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: certs.caFile,
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      REDIS_FALLBACK_ENABLED: 'false',
      ...env,
    });
    const app = await startRedisModule(options, logs);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    certs = createTestCertificates(['redis.test']);
    cluster = await ClusterTopology.start({ tls: certs });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
  });
  afterAll(async () => {
    await cluster?.stop();
    certs?.dispose();
  });

  it('refuses the nodes, saying why, without REDIS_TLS_SERVERNAME: the dialled IP is not in the certificate', async () => {
    const { cache, logs } = await start({});
    const write = await timed(() => cache.set('tls:no-name', 'v'));
    expect(write.error).toBeInstanceOf(RedisUnavailableError);
    expect(write.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    await waitFor(() => logs.lines.some((line) => /IP: 127\.0\.0\.1 is not in the cert's list/.test(line)), {
      description: 'the reason in the log',
    });
  });

  it('writes to every shard over TLS with REDIS_TLS_SERVERNAME, each connection on a TLS port', async () => {
    const { cache } = await start({ REDIS_TLS_SERVERNAME: 'redis.test' });
    const keys = Array.from({ length: 30 }, (_, i) => `tls-spread-${i}`);
    for (const key of keys) await cache.set(key, `value of ${key}`);
    expect(await cache.mget(keys)).toEqual(keys.map((key) => `value of ${key}`));
    for (const shard of await cluster.shards()) {
      const list = String(await sendCommand(shard.primary.endpoint, 'CLIENT', ['LIST']));
      const ours = list.split('\n').filter((line) => / name=sentinel-kit:write /.test(line));
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.every((line) => line.includes(` laddr=127.0.0.1:${shard.primary.tlsPort} `))).toBe(true);
    }
  });

  it('holds a write through a shard failover and follows the promoted replica to its TLS port', async () => {
    const { cache, status } = await start({ REDIS_TLS_SERVERNAME: 'redis.test' });
    await cache.set('tls-held', 'before');
    const shard = await cluster.shardOf('app:tls-held');
    await shard.primary.kill();
    const written = await timed(() => cache.set('tls-held', 'after'));
    expect(written.error).toBeUndefined();
    const promoted = await cluster.waitForFailover(shard);
    expect(await cache.get('tls-held')).toBe('after');
    const counted = await waitFor(
      () => {
        const current = status.getStatus().cluster;
        return current && current.failoverCount >= 1 ? current : undefined;
      },
      { description: 'the shard failover counted', timeoutMs: 10_000 },
    );
    expect(counted.history.at(-1)).toMatchObject({
      from: { port: shard.primary.tlsPort },
      to: { port: promoted.tlsPort },
    });
  });
});
