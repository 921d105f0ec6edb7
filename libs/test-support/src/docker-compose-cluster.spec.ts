import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveRedisEnv } from '@sentinel-kit/redis';

const ROOT = join(__dirname, '..', '..', '..');
const NODES = ['redis-node-1', 'redis-node-2', 'redis-node-3', 'redis-node-4', 'redis-node-5', 'redis-node-6'];

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  hostname?: string;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.redis-cluster.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const script = (service: Service): string => service.command?.join(' ') ?? '';

describe('docker-compose.redis-cluster.yml', () => {
  it('has six cluster nodes, the one-shot creator and the API, and publishes only the API', () => {
    expect(Object.keys(services).sort()).toEqual([...NODES, 'redis-cluster-create', 'api'].sort());
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.ports]).toEqual([name, name === 'api' ? ['${API_PORT:-3000}:3000'] : undefined]);
    }
  });

  it('runs every node in cluster mode, with its own volume, announcing its own hostname, with AOF and a password', () => {
    for (const name of NODES) {
      const node = services[name];
      expect(node.hostname).toBe(name);
      expect(node.volumes).toEqual([`${name}-data:/data`]);
      expect(compose.volumes).toHaveProperty(`${name}-data`);
      for (const line of [
        'cluster-enabled yes',
        'cluster-announce-hostname $$(hostname)',
        'cluster-preferred-endpoint-type hostname',
        'appendonly yes',
        'requirepass $$REDIS_PASSWORD',
        'masterauth $$REDIS_PASSWORD',
      ]) {
        expect(script(node)).toContain(line);
      }
    }
  });

  it('creates the cluster from every node, with one replica each, once every node is healthy', () => {
    const creator = services['redis-cluster-create'];
    expect(script(creator)).toContain('--cluster create $$nodes --cluster-replicas 1 --cluster-yes');
    expect(script(creator)).toContain(`for n in ${NODES.map((_, i) => i + 1).join(' ')}; do`);
    expect(creator.depends_on).toEqual(
      Object.fromEntries(NODES.map((name) => [name, { condition: 'service_healthy' }])),
    );
    expect(services.api.depends_on).toEqual({
      'redis-cluster-create': { condition: 'service_completed_successfully' },
    });
  });

  it('gives the API valid Cluster-mode settings naming every node', () => {
    const env = { ...services.api.environment, REDIS_PASSWORD: 'set-by-the-operator' };
    const options = resolveRedisEnv(env);
    expect(options.mode === 'cluster' && options.cluster.nodes.map(({ host }) => host)).toEqual(NODES);
  });
});
