import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configIssues } from '@sentinel-kit/test-support';
import { RedisConfigError } from '../errors/redis-config.error';
import { resolveRedisEnv } from './redis-env';
import { resolveRedisOptions } from './resolve-redis-options';

const SENTINELS = 'sentinel-a:26379,sentinel-b:26379,sentinel-c:26379';

const issuesOf = (env: Record<string, string>) => configIssues(() => resolveRedisEnv(env));

describe('resolveRedisEnv', () => {
  describe('mode selection', () => {
    it('is standalone on localhost:6379 with every default when nothing is set', () => {
      expect(resolveRedisEnv({})).toEqual({
        mode: 'standalone',
        node: { host: 'localhost', port: 6379 },
        username: undefined,
        password: undefined,
        db: 0,
        tls: null,
        protocol: 3,
        natMap: {},
        keyPrefix: 'app:',
        commandTimeoutMs: 500,
        fallback: { enabled: true, maxEntries: 10000, maxBytes: 32 * 1024 * 1024 },
        circuit: { failureThreshold: 3, probeIntervalMs: 500 },
        health: { strict: false },
        metrics: { nodeLabels: true },
      });
    });

    it('is Sentinel mode when REDIS_SENTINEL_ENABLED is true, with the sentinel defaults', () => {
      const options = resolveRedisEnv({ REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: SENTINELS });
      expect(options.mode).toBe('sentinel');
      if (options.mode !== 'sentinel') return;
      expect(options.sentinel).toEqual({
        sentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: 'sentinel-b', port: 26379 },
          { host: 'sentinel-c', port: 26379 },
        ],
        masterName: 'mymaster',
        username: undefined,
        password: undefined,
        tls: null,
        readFromReplicas: true,
        masterCheckIntervalMs: 2000,
        writeHoldMs: 10_000,
        replicaMaxLagMs: 1000,
      });
    });

    it('stays standalone when REDIS_SENTINELS is set but Sentinel mode is not enabled', () => {
      expect(resolveRedisEnv({ REDIS_SENTINEL_ENABLED: 'no', REDIS_SENTINELS: SENTINELS }).mode).toBe('standalone');
    });

    it('reads every variable', () => {
      const options = resolveRedisEnv({
        REDIS_SENTINEL_ENABLED: 'YES',
        REDIS_SENTINELS: SENTINELS,
        REDIS_SENTINEL_MASTER_NAME: 'orders',
        REDIS_SENTINEL_USERNAME: 'watcher',
        REDIS_SENTINEL_PASSWORD: 's3ntinel',
        REDIS_USERNAME: 'app',
        REDIS_PASSWORD: 'data-secret',
        REDIS_DB: '2',
        REDIS_TLS: '1',
        REDIS_PROTOCOL: '2',
        REDIS_NAT_MAP: '10.0.0.5:6379=127.0.0.1:16379, [fd00::6]:6379=localhost:16380',
        REDIS_KEY_PREFIX: 'orders:',
        REDIS_READ_FROM_REPLICAS: 'false',
        REDIS_REPLICA_MAX_LAG_MS: '250',
        REDIS_COMMAND_TIMEOUT_MS: '250',
        REDIS_FALLBACK_ENABLED: '0',
        REDIS_FALLBACK_MAX_ENTRIES: '50',
        REDIS_FALLBACK_MAX_BYTES: '65536',
        REDIS_HEALTH_STRICT: 'true',
        METRICS_NODE_LABELS: 'false',
      });
      expect(options).toMatchObject({
        mode: 'sentinel',
        username: 'app',
        password: 'data-secret',
        db: 2,
        tls: { rejectUnauthorized: true },
        protocol: 2,
        natMap: {
          '10.0.0.5:6379': { host: '127.0.0.1', port: 16379 },
          'fd00::6:6379': { host: 'localhost', port: 16380 },
        },
        keyPrefix: 'orders:',
        commandTimeoutMs: 250,
        fallback: { enabled: false, maxEntries: 50, maxBytes: 65536 },
        health: { strict: true },
        metrics: { nodeLabels: false },
        sentinel: {
          masterName: 'orders',
          username: 'watcher',
          password: 's3ntinel',
          readFromReplicas: false,
          replicaMaxLagMs: 250,
        },
      });
    });

    it('lets REDIS_URL win over REDIS_HOST/REDIS_PORT and takes credentials, db and TLS from it', () => {
      const options = resolveRedisEnv({
        REDIS_URL: 'rediss://user:p%40ss@cache.internal:6380/3',
        REDIS_HOST: 'ignored',
        REDIS_PORT: '1',
      });
      expect(options).toMatchObject({
        mode: 'standalone',
        node: { host: 'cache.internal', port: 6380 },
        username: 'user',
        password: 'p@ss',
        db: 3,
        tls: { rejectUnauthorized: true },
      });
    });

    it('reads the TLS details from files and names to check', () => {
      const dir = mkdtempSync(join(tmpdir(), 'sentinel-kit-tls-env-'));
      try {
        writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
        writeFileSync(join(dir, 'client.pem'), 'CERT PEM');
        writeFileSync(join(dir, 'client.key'), 'KEY PEM');
        const options = resolveRedisEnv({
          REDIS_TLS: 'true',
          REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
          REDIS_TLS_CERT_FILE: join(dir, 'client.pem'),
          REDIS_TLS_KEY_FILE: join(dir, 'client.key'),
          REDIS_TLS_SERVERNAME: 'redis.internal',
          REDIS_TLS_REJECT_UNAUTHORIZED: 'false',
        });
        expect(options.tls).toEqual({
          ca: 'CA PEM',
          cert: 'CERT PEM',
          key: 'KEY PEM',
          servername: 'redis.internal',
          rejectUnauthorized: false,
        });
        expect(issuesOf({ REDIS_TLS: 'true', REDIS_TLS_CERT_FILE: join(dir, 'client.pem') })).toEqual([
          'REDIS_TLS_KEY_FILE: cert and key go together: give both or neither',
        ]);
        const sentinel = (env: Record<string, string>) => {
          const resolved = resolveRedisEnv({ REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: SENTINELS, ...env });
          return resolved.mode === 'sentinel' ? { data: resolved.tls, sentinels: resolved.sentinel.tls } : undefined;
        };
        // The sentinels follow the data nodes unless REDIS_SENTINEL_TLS says otherwise.
        expect(sentinel({ REDIS_TLS: 'true' })).toEqual({
          data: { rejectUnauthorized: true },
          sentinels: { rejectUnauthorized: true },
        });
        expect(sentinel({ REDIS_TLS: 'true', REDIS_SENTINEL_TLS: 'false' })).toEqual({
          data: { rejectUnauthorized: true },
          sentinels: null,
        });
        expect(
          sentinel({
            REDIS_SENTINEL_TLS: 'true',
            REDIS_SENTINEL_TLS_CA_FILE: join(dir, 'ca.pem'),
            REDIS_SENTINEL_TLS_SERVERNAME: 'sentinel.internal',
          }),
        ).toEqual({
          data: null,
          sentinels: { ca: 'CA PEM', servername: 'sentinel.internal', rejectUnauthorized: true },
        });
        expect(issuesOf({ REDIS_SENTINEL_TLS_SERVERNAME: 'sentinel.internal' })).toEqual([
          'REDIS_SENTINEL_TLS_SERVERNAME: needs REDIS_SENTINEL_TLS=true',
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('returns frozen options', () => {
      const options = resolveRedisEnv({});
      expect(Object.isFrozen(options)).toBe(true);
      expect(Object.isFrozen(options.fallback)).toBe(true);
    });
  });

  describe('Cluster mode', () => {
    const clusterEnv = (nodes: string, extra: Record<string, string> = {}) => ({
      REDIS_CLUSTER_ENABLED: 'true',
      REDIS_CLUSTER_NODES: nodes,
      ...extra,
    });

    it('reads the seed nodes, where reads go and the write hold, with their defaults', () => {
      const options = resolveRedisEnv(clusterEnv('a:7000, b:7001,[::1]:7002'));
      expect(options.mode).toBe('cluster');
      expect(options.mode === 'cluster' && options.cluster).toEqual({
        nodes: [
          { host: 'a', port: 7000 },
          { host: 'b', port: 7001 },
          { host: '::1', port: 7002 },
        ],
        scaleReads: 'master',
        writeHoldMs: 10_000,
        topologyCheckIntervalMs: 2000,
      });
      const tuned = resolveRedisEnv(
        clusterEnv('a:1,b:2,c:3', { REDIS_CLUSTER_SCALE_READS: 'slave', REDIS_CLUSTER_WRITE_HOLD_MS: '0' }),
      );
      expect(tuned.mode === 'cluster' && [tuned.cluster.scaleReads, tuned.cluster.writeHoldMs]).toEqual(['slave', 0]);
    });

    it('names the variable of each problem: too few nodes, a bad entry, a bad read target, a database', () => {
      expect(issuesOf(clusterEnv('a:1,a:1,b:2'))).toEqual([
        'REDIS_CLUSTER_NODES: duplicate entry "a:1"',
        'REDIS_CLUSTER_NODES: Cluster mode needs at least 3 distinct seed node addresses, got 2 (a:1, a:1, b:2)',
      ]);
      expect(issuesOf({ REDIS_CLUSTER_ENABLED: 'true' })).toEqual([
        'REDIS_CLUSTER_NODES: Cluster mode needs at least 3 distinct seed node addresses, got 0 (none)',
      ]);
      expect(issuesOf(clusterEnv('a:1,b,c:3'))).toEqual([
        'REDIS_CLUSTER_NODES: entry "b" has no port (expected host:port)',
      ]);
      expect(issuesOf(clusterEnv('a:1,b:2,c:3', { REDIS_CLUSTER_SCALE_READS: 'replicas' }))).toEqual([
        'REDIS_CLUSTER_SCALE_READS: expected master, slave or all, got "replicas"',
      ]);
      expect(issuesOf(clusterEnv('a:1,b:2,c:3', { REDIS_DB: '2' }))).toEqual([
        'REDIS_DB: a cluster has only database 0',
      ]);
    });

    it('refuses Sentinel and Cluster mode together with one error', () => {
      expect(
        issuesOf({ ...clusterEnv('a:1,b:2,c:3'), REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: 'd:4,e:5,f:6' }),
      ).toEqual(['REDIS_CLUSTER_ENABLED: Sentinel mode and Cluster mode are both configured: choose one']);
    });

    it('ignores the cluster variables unless Cluster mode is enabled', () => {
      expect(resolveRedisEnv({ REDIS_CLUSTER_NODES: 'a:1', REDIS_CLUSTER_SCALE_READS: 'x' }).mode).toBe('standalone');
    });
  });

  describe('REDIS_SENTINELS parsing', () => {
    const sentinelEnv = (list: string) => ({ REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: list });

    it('trims whitespace and accepts hostnames, IPv4 and bracketed IPv6', () => {
      const options = resolveRedisEnv(sentinelEnv(' sentinel-a:26379 , 10.0.0.2:26380,[::1]:26381 '));
      expect(options.mode === 'sentinel' && options.sentinel.sentinels).toEqual([
        { host: 'sentinel-a', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ]);
    });

    it('refuses fewer than three distinct sentinels, saying how many were given', () => {
      expect(issuesOf(sentinelEnv('a:1,b:2'))).toEqual([
        'REDIS_SENTINELS: Sentinel mode needs at least 3 distinct sentinel addresses, got 2 (a:1, b:2)',
      ]);
    });

    it('requires REDIS_SENTINELS when Sentinel mode is enabled', () => {
      expect(issuesOf({ REDIS_SENTINEL_ENABLED: 'true' })).toEqual([
        'REDIS_SENTINELS: Sentinel mode needs at least 3 distinct sentinel addresses, got 0 (none)',
      ]);
    });

    it.each([
      ['a:1,,b:2,c:3', 'REDIS_SENTINELS: has an empty entry (check for doubled or trailing commas)'],
      ['a:1,b:2,c:3,', 'REDIS_SENTINELS: has an empty entry (check for doubled or trailing commas)'],
      ['a,b:2,c:3', 'REDIS_SENTINELS: entry "a" has no port (expected host:port)'],
      ['a:,b:2,c:3', 'REDIS_SENTINELS: entry "a:" has no port (expected host:port)'],
      ['a:http,b:2,c:3', 'REDIS_SENTINELS: entry "a:http" has a non-numeric port'],
      ['a:0,b:2,c:3', 'REDIS_SENTINELS: entry "a:0" has a port outside 1-65535'],
      ['a:65536,b:2,c:3', 'REDIS_SENTINELS: entry "a:65536" has a port outside 1-65535'],
      ['::1:26379,b:2,c:3', 'REDIS_SENTINELS: entry "::1:26379": put IPv6 addresses in brackets, e.g. [::1]:26379'],
      ['[::1],b:2,c:3', 'REDIS_SENTINELS: entry "[::1]" has no port (expected host:port)'],
      ['bad host:1,b:2,c:3', 'REDIS_SENTINELS: entry "bad host:1" has an invalid host'],
    ])('rejects %p', (list, message) => {
      expect(issuesOf(sentinelEnv(list))).toEqual([message]);
    });

    it('rejects duplicates (host names compared without case) and counts only distinct addresses', () => {
      expect(issuesOf(sentinelEnv('a:1,b:2,A:1'))).toEqual([
        'REDIS_SENTINELS: duplicate entry "A:1"',
        'REDIS_SENTINELS: Sentinel mode needs at least 3 distinct sentinel addresses, got 2 (a:1, b:2, A:1)',
      ]);
    });
  });

  describe('other variables', () => {
    it.each([
      [
        { REDIS_SENTINEL_ENABLED: 'maybe' },
        'REDIS_SENTINEL_ENABLED: expected one of true, false, 1, 0, yes, no, got "maybe"',
      ],
      [{ REDIS_TLS: 'on' }, 'REDIS_TLS: expected one of true, false, 1, 0, yes, no, got "on"'],
      [
        { REDIS_FALLBACK_ENABLED: 'enabled' },
        'REDIS_FALLBACK_ENABLED: expected one of true, false, 1, 0, yes, no, got "enabled"',
      ],
      [
        { REDIS_READ_FROM_REPLICAS: 'y' },
        'REDIS_READ_FROM_REPLICAS: expected one of true, false, 1, 0, yes, no, got "y"',
      ],
      [{ REDIS_PORT: 'abc' }, 'REDIS_PORT: expected an integer, got "abc"'],
      [{ REDIS_PORT: '70000' }, 'REDIS_PORT: expected a port from 1 to 65535, got "70000"'],
      [{ REDIS_DB: '-1' }, 'REDIS_DB: expected an integer from 0, got "-1"'],
      [{ REDIS_PROTOCOL: '4' }, 'REDIS_PROTOCOL: expected 2 or 3, got "4"'],
      [
        { REDIS_NAT_MAP: '10.0.0.5:6379' },
        'REDIS_NAT_MAP: entry "10.0.0.5:6379": expected announced=dialled, each host:port',
      ],
      [
        { REDIS_NAT_MAP: '10.0.0.5:6379=127.0.0.1' },
        'REDIS_NAT_MAP: entry "127.0.0.1" has no port (expected host:port)',
      ],
      [{ REDIS_COMMAND_TIMEOUT_MS: '0' }, 'REDIS_COMMAND_TIMEOUT_MS: expected an integer from 1 to 60000, got "0"'],
      [{ REDIS_COMMAND_TIMEOUT_MS: '1.5' }, 'REDIS_COMMAND_TIMEOUT_MS: expected an integer, got "1.5"'],
      [
        { REDIS_HEALTH_STRICT: 'sometimes' },
        'REDIS_HEALTH_STRICT: expected one of true, false, 1, 0, yes, no, got "sometimes"',
      ],
      [
        { REDIS_FALLBACK_MAX_BYTES: '100' },
        'REDIS_FALLBACK_MAX_BYTES: expected an integer from 1024 to 17179869184, got "100"',
      ],
      [
        { REDIS_FALLBACK_MAX_ENTRIES: '0' },
        'REDIS_FALLBACK_MAX_ENTRIES: expected an integer from 1 to 10000000, got "0"',
      ],
      [
        { REDIS_URL: 'http://cache:6379' },
        'REDIS_URL: expected a redis:// or rediss:// URL with a host, got "http://cache:6379"',
      ],
      [{ REDIS_URL: 'redis://cache/db1' }, 'REDIS_URL: the path must be a database number, got "redis://cache/db1"'],
      [{ REDIS_TLS_CA_FILE: '/etc/ssl/ca.pem' }, 'REDIS_TLS_CA_FILE: needs REDIS_TLS=true'],
      [
        { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' },
        'REDIS_TLS_CA_FILE: cannot read "/nonexistent/ca.pem" (ENOENT)',
      ],
    ])('rejects %p', (env, message) => {
      expect(issuesOf(env)).toEqual([message]);
    });

    it('reports every problem at once', () => {
      expect(issuesOf({ REDIS_PORT: 'x', REDIS_TLS: 'x', REDIS_DB: 'x' })).toHaveLength(3);
    });

    it('treats blank values as unset', () => {
      expect(resolveRedisEnv({ REDIS_PORT: '  ', REDIS_HOST: '' })).toMatchObject({
        node: { host: 'localhost', port: 6379 },
      });
    });
  });

  describe('secrets', () => {
    it('never shows a password or URL credentials in an error', () => {
      const error = (() => {
        try {
          resolveRedisEnv({
            REDIS_URL: 'http://admin:hunter2@cache:6379',
            REDIS_SENTINEL_ENABLED: 'true',
            REDIS_SENTINELS: 'a:1',
            REDIS_SENTINEL_PASSWORD: 'sentinel-hunter3',
            REDIS_PASSWORD: 'hunter4',
          });
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected an error');
      })();
      expect(error.message).toContain(
        'REDIS_URL: expected a redis:// or rediss:// URL with a host, got "http://***@cache:6379"',
      );
      expect(error.message).not.toMatch(/hunter/);
    });

    it('never shows a password given in code', () => {
      expect(() => resolveRedisOptions({ password: 42 as unknown as string })).toThrow(
        new RedisConfigError(['password: Invalid input: expected string, received number']),
      );
    });
  });

  describe('resolveRedisOptions (forRoot)', () => {
    it('names option paths and rejects unknown options', () => {
      try {
        resolveRedisOptions({ port: 0, sentinel: { sentinels: [] }, colour: 'blue' } as never);
        throw new Error('expected an error');
      } catch (error) {
        expect((error as RedisConfigError).issues).toEqual([
          'sentinel.sentinels: Sentinel mode needs at least 3 distinct sentinel addresses, got 0 (none)',
          'port: expected a port from 1 to 65535, got "0"',
          '(options): unknown option(s) "colour"',
        ]);
      }
    });
  });
});
