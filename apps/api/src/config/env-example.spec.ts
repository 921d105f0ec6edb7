import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_ENV_VARIABLES, resolveRedisEnv } from '@sentinel-kit/redis';
import { RATE_LIMIT_ENV_VARIABLES, resolveRateLimitEnv } from '@sentinel-kit/rate-limit';
import { SESSION_ENV_VARIABLES, resolveSessionEnv } from '@sentinel-kit/session';
import { SENTINEL_GROUP_PROFILE } from '@sentinel-kit/testing';
import { API_ENV_VARIABLES, resolveApiEnv } from './api-env.config';

const ROOT = join(__dirname, '..', '..', '..', '..');
const EXAMPLE = readFileSync(join(ROOT, 'redis-sentinel.env.example'), 'utf8').split('\n');
const VARIABLE_LINE = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/;

/** Variables of the example: set (`NAME=default`) or commented out (`# NAME=example`, no default). */
const documented = EXAMPLE.flatMap((line, index) => {
  const match = VARIABLE_LINE.exec(line);
  return match ? [{ name: match[2], value: match[3], commented: match[1] !== undefined, index }] : [];
});
const defaults = Object.fromEntries(documented.filter((v) => !v.commented).map((v) => [v.name, v.value]));

/** Source files that run outside the tests: apps, libs, scripts and the bench. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'test' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/** Variables that tools set for the code, not configuration: Jest numbers its workers (`findFreePort`). */
const SET_BY_TOOLS = new Set(['JEST_WORKER_ID']);

/** Variables read directly (`process.env.NAME`, `env.NAME`, `env['NAME']`) rather than through a schema. */
function directReads(): string[] {
  const files = ['apps', 'libs', 'scripts', 'bench'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      // Documentation comments show reads of the user's own variables; only code counts.
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .flatMap((line) => [...line.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]))
      .filter((name) => !SET_BY_TOOLS.has(name)),
  );
}

/** Variables the compose files interpolate (`${NAME}`, `${NAME:-default}`, `${NAME:?message}`). */
function composeReads(): Map<string, string | undefined> {
  const text = ['docker-compose.redis-sentinel.yml', 'docker-compose.redis-cluster.yml']
    .map((file) => readFileSync(join(ROOT, file), 'utf8'))
    .join('\n');
  return new Map(
    [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?/g)].map((m) => [m[1], m[2]] as [string, string | undefined]),
  );
}

describe('redis-sentinel.env.example', () => {
  it('lists exactly the variables the code and the compose file read, each once', () => {
    const read = new Set([
      ...REDIS_ENV_VARIABLES,
      ...SESSION_ENV_VARIABLES,
      ...RATE_LIMIT_ENV_VARIABLES,
      ...API_ENV_VARIABLES,
      ...Object.values(SENTINEL_GROUP_PROFILE.timings).map((t) => t.variable),
      ...directReads(),
      ...composeReads().keys(),
    ]);
    const names = documented.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...read].sort());
  });

  it('gives each variable a one-line comment right above it', () => {
    for (const { name, index } of documented) {
      const above = EXAMPLE[index - 1] ?? '';
      const isComment = above.startsWith('# ') && !VARIABLE_LINE.test(above);
      expect({ name, above, isComment }).toEqual({ name, above, isComment: true });
    }
  });

  it('sets each variable to its default: the configuration it gives is the one an empty environment gives', () => {
    expect(resolveRedisEnv(defaults)).toEqual(resolveRedisEnv({}));
    expect(resolveSessionEnv(defaults)).toEqual(resolveSessionEnv({}));
    expect(resolveRateLimitEnv(defaults)).toEqual(resolveRateLimitEnv({}));
    expect(resolveApiEnv(defaults)).toEqual(resolveApiEnv({}));
    for (const { variable, defaultMs } of Object.values(SENTINEL_GROUP_PROFILE.timings)) {
      expect(defaults[variable]).toBe(String(defaultMs));
    }
    for (const [name, composeDefault] of composeReads()) {
      if (composeDefault !== undefined && composeDefault !== '') expect(defaults[name]).toBe(composeDefault);
    }
    expect(defaults.REDIS_SERVER_BIN).toBe('redis-server');
  });

  it('leaves every secret unset', () => {
    for (const { name, commented, value } of documented) {
      if (/PASSWORD|TOKEN/.test(name)) expect({ name, commented, value }).toEqual({ name, commented: true, value: '' });
    }
  });

  it('gives valid examples for the variables it leaves commented out', () => {
    const examples = Object.fromEntries(documented.filter((v) => v.commented && v.value).map((v) => [v.name, v.value]));
    const sentinel = resolveRedisEnv({ ...examples, REDIS_SENTINEL_ENABLED: 'true', REDIS_URL: undefined });
    expect(sentinel.mode).toBe('sentinel');
    expect(resolveRedisEnv({ REDIS_URL: examples.REDIS_URL }).mode).toBe('standalone');
    const cluster = resolveRedisEnv({
      REDIS_CLUSTER_ENABLED: 'true',
      REDIS_CLUSTER_NODES: examples.REDIS_CLUSTER_NODES,
    });
    expect(cluster.mode).toBe('cluster');
    expect(
      resolveSessionEnv({ ...examples, REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: examples.REDIS_SENTINELS })
        .durability,
    ).toBe('replicated');
  });
});
