import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SENTINEL_GROUP_PROFILE } from '@sentinel-kit/testing';

const ROOT = join(__dirname, '..', '..', '..');
const DATA_NODES = ['redis-primary', 'redis-replica-1', 'redis-replica-2'];
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  build?: string;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.redis-sentinel.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/**
 * The lines a node's start script writes into its config file (the printf arguments), with `$$VAR`
 * (expanded by the container's shell) written as `$VAR`.
 */
function configLines(service: Service): string[] {
  const script = service.command?.join(' ') ?? '';
  const printf = /printf '%s\\n'([\s\S]*?)>/.exec(script)?.[1] ?? '';
  return [...printf.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => (m[1] ?? m[2]).replace(/\$\$/g, '$'));
}

/** `${NAME:-default}` → default, for a variable the compose file reads. */
function composeDefault(value: string | undefined, name: string): string | undefined {
  return new RegExp(`^\\$\\{${name}:-([^}]*)\\}$`).exec(value ?? '')?.[1];
}

describe('docker-compose.redis-sentinel.yml', () => {
  it('has a primary, two replicas, three sentinels and the API', () => {
    expect(Object.keys(services).sort()).toEqual([...DATA_NODES, ...SENTINELS, 'api'].sort());
    expect(SENTINEL_GROUP_PROFILE).toMatchObject({ replicas: DATA_NODES.length - 1, sentinels: SENTINELS.length });
  });

  it('publishes no port but the API one', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'api') expect(service.ports).toEqual(['${API_PORT:-3000}:3000']);
      else expect(service.ports).toBeUndefined();
    }
  });

  it('gives every node its own volume and every sentinel its own writable config file, written once', () => {
    const mounts = [...DATA_NODES, ...SENTINELS].map((name) => services[name].volumes ?? []);
    for (const volumes of mounts) {
      expect(volumes).toHaveLength(1);
      expect(volumes[0]).toMatch(/^[a-z0-9-]+-data:\/data$/);
      expect(compose.volumes).toHaveProperty(volumes[0].split(':')[0]);
    }
    expect(new Set(mounts.map((v) => v[0])).size).toBe(mounts.length);
    for (const name of SENTINELS) {
      const script = services[name].command!.join(' ');
      expect(script).toContain('[ -f /data/sentinel.conf ] ||');
      expect(script).toContain('exec redis-server /data/sentinel.conf --sentinel');
    }
    for (const name of DATA_NODES) {
      const script = services[name].command!.join(' ');
      expect(script).toContain('[ -f /data/redis.conf ] ||');
      expect(script).toContain('exec redis-server /data/redis.conf');
    }
  });

  it('configures the sentinels like cluster:up: hostnames, quorum, timings from the environment, passwords', () => {
    const { masterName, quorum, sentinelConfig, parallelSyncs, timings } = SENTINEL_GROUP_PROFILE;
    for (const name of SENTINELS) {
      const lines = configLines(services[name]);
      expect(lines).toEqual(
        expect.arrayContaining([
          ...sentinelConfig,
          `sentinel monitor ${masterName} redis-primary 6379 ${quorum}`,
          `sentinel down-after-milliseconds ${masterName} $${timings.downAfterMs.variable}`,
          `sentinel failover-timeout ${masterName} $${timings.failoverTimeoutMs.variable}`,
          `sentinel parallel-syncs ${masterName} ${parallelSyncs}`,
          `sentinel auth-pass ${masterName} $REDIS_PASSWORD`,
          'requirepass $REDIS_SENTINEL_PASSWORD',
          'sentinel sentinel-pass $REDIS_SENTINEL_PASSWORD',
        ]),
      );
      // resolve-hostnames must come before the monitor line that names a host.
      expect(lines.indexOf('sentinel resolve-hostnames yes')).toBeLessThan(
        lines.findIndex((l) => l.startsWith('sentinel monitor')),
      );
      const env = services[name].environment!;
      for (const { variable, defaultMs } of Object.values(timings)) {
        expect(composeDefault(env[variable], variable)).toBe(String(defaultMs));
      }
    }
  });

  it('configures the data nodes like cluster:up: AOF, min-replicas-to-write, passwords; replicas follow the primary', () => {
    for (const name of DATA_NODES) {
      const lines = configLines(services[name]);
      expect(lines).toEqual(
        expect.arrayContaining([
          ...SENTINEL_GROUP_PROFILE.dataNodeConfig,
          'requirepass $REDIS_PASSWORD',
          'masterauth $REDIS_PASSWORD',
          `replica-announce-ip ${name}`,
        ]),
      );
      expect(lines.includes('replicaof redis-primary 6379')).toBe(name !== 'redis-primary');
    }
  });

  it('takes every password from the environment and never writes one down', () => {
    const text = readFileSync(join(ROOT, 'docker-compose.redis-sentinel.yml'), 'utf8');
    const secrets = text
      .split('\n')
      .flatMap((line) => /(requirepass|masterauth|auth-pass \S+|sentinel-pass)\s+(\S+)/.exec(line)?.[2] ?? []);
    // requirepass + masterauth on 3 data nodes; auth-pass, requirepass, sentinel-pass once for the sentinels.
    expect(secrets).toHaveLength(9);
    for (const value of secrets) expect(value).toMatch(/^\$\$(REDIS_PASSWORD|REDIS_SENTINEL_PASSWORD)['"]?$/);
    const required = /^\$\{(REDIS_PASSWORD|REDIS_SENTINEL_PASSWORD):\?.+\}$/;
    for (const name of [...DATA_NODES, ...SENTINELS, 'api']) {
      for (const [variable, value] of Object.entries(services[name].environment ?? {})) {
        if (/PASSWORD|AUTH/.test(variable)) expect(value).toMatch(required);
      }
    }
  });

  it('checks every service health and starts each after what it needs is healthy', () => {
    for (const service of Object.values(services)) expect(service.healthcheck?.test.length).toBeGreaterThan(1);
    const healthy = (names: string[]) =>
      Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' }]));
    expect(services['redis-primary'].depends_on).toBeUndefined();
    for (const name of ['redis-replica-1', 'redis-replica-2']) {
      expect(services[name].depends_on).toEqual(healthy(['redis-primary']));
    }
    for (const name of SENTINELS) expect(services[name].depends_on).toEqual(healthy(DATA_NODES));
    expect(services.api.depends_on).toEqual(healthy(SENTINELS));
  });

  it('points the API at the three sentinels and gives it more time to stop than its drain takes', () => {
    const env = services.api.environment!;
    expect(env.REDIS_SENTINEL_ENABLED).toBe('true');
    expect(env.REDIS_SENTINELS).toBe(SENTINELS.map((name) => `${name}:26379`).join(','));
    expect(env.REDIS_SENTINEL_MASTER_NAME).toBe(SENTINEL_GROUP_PROFILE.masterName);
    expect(Number.parseInt(services.api.stop_grace_period ?? '0', 10)).toBeGreaterThan(10);
    expect(services.api.build).toBe('.');
  });

  it('builds an image that runs what npm start runs', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts.start;
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(start);
  });
});
