import { RedisConfigError } from '../errors/redis-config.error';
import { SecretRedactor } from '../errors/secret-redactor';
import { REDIS_DEFAULTS } from '../redis.constants';
import { formatConfigIssues, type ConfigIssueNaming } from './config-issue.formatter';
import type { RedisModuleOptions, RedisNodeAddress } from './redis-module-options.interface';
import { redisOptionsSchema } from './redis-options.schema';
import type { ResolvedRedisOptions, ResolvedTlsOptions } from './resolved-redis-options.interface';

const urlRedactor = new SecretRedactor([]);

/** Marks objects made by {@link resolveRedisOptions}, so resolved options are not resolved twice. */
const RESOLVED = Symbol('ResolvedRedisOptions');

/** Whether `value` came out of {@link resolveRedisOptions} (or `resolveRedisEnv`). */
export function isResolvedRedisOptions(value: unknown): value is ResolvedRedisOptions {
  return typeof value === 'object' && value !== null && RESOLVED in value;
}

/** Naming for options given in code: paths as written, secrets hidden, URL credentials dropped. */
export const OPTION_NAMING: ConfigIssueNaming = {
  secretPaths: ['password', 'sentinel.password', 'tls.key', 'sentinel.tls.key'],
  redactors: { url: (value) => urlRedactor.redact(value) },
};

/**
 * Validates raw options, applies every default and returns them frozen: the one place where
 * options are interpreted.
 *
 * @param naming how problems are labelled (option paths, or environment variable names).
 * @throws RedisConfigError listing every problem, one `NAME: problem` line each, without secrets.
 */
export function resolveRedisOptions(
  options: RedisModuleOptions,
  naming: ConfigIssueNaming = OPTION_NAMING,
): ResolvedRedisOptions {
  const parsed = redisOptionsSchema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, naming));
  const raw = parsed.data;
  const fromUrl = raw.url ? parseStandaloneUrl(raw.url, naming) : {};
  const common = {
    username: fromUrl.username ?? raw.username,
    password: fromUrl.password ?? raw.password,
    db: fromUrl.db ?? raw.db ?? REDIS_DEFAULTS.db,
    tls: resolveTls(typeof raw.tls === 'object' ? raw.tls : (fromUrl.tls ?? raw.tls ?? REDIS_DEFAULTS.tls)),
    protocol: raw.protocol ?? REDIS_DEFAULTS.protocol,
    natMap: { ...raw.natMap },
    keyPrefix: raw.keyPrefix ?? REDIS_DEFAULTS.keyPrefix,
    commandTimeoutMs: raw.commandTimeoutMs ?? REDIS_DEFAULTS.commandTimeoutMs,
    fallback: {
      enabled: raw.fallback?.enabled ?? REDIS_DEFAULTS.fallbackEnabled,
      maxEntries: raw.fallback?.maxEntries ?? REDIS_DEFAULTS.fallbackMaxEntries,
      maxBytes: raw.fallback?.maxBytes ?? REDIS_DEFAULTS.fallbackMaxBytes,
    },
    circuit: {
      failureThreshold: raw.circuit?.failureThreshold ?? REDIS_DEFAULTS.failureThreshold,
      probeIntervalMs: raw.circuit?.probeIntervalMs ?? REDIS_DEFAULTS.probeIntervalMs,
    },
    health: { strict: raw.health?.strict ?? REDIS_DEFAULTS.healthStrict },
    metrics: { nodeLabels: raw.metrics?.nodeLabels ?? REDIS_DEFAULTS.metricsNodeLabels },
  };
  const resolved: ResolvedRedisOptions = raw.sentinel
    ? {
        ...common,
        mode: 'sentinel',
        sentinel: {
          sentinels: raw.sentinel.sentinels,
          masterName: raw.sentinel.masterName ?? REDIS_DEFAULTS.masterName,
          username: raw.sentinel.username,
          password: raw.sentinel.password,
          tls: raw.sentinel.tls === undefined ? common.tls : resolveTls(raw.sentinel.tls),
          readFromReplicas: raw.sentinel.readFromReplicas ?? REDIS_DEFAULTS.readFromReplicas,
          masterCheckIntervalMs: raw.sentinel.masterCheckIntervalMs ?? REDIS_DEFAULTS.masterCheckIntervalMs,
          writeHoldMs: raw.sentinel.writeHoldMs ?? REDIS_DEFAULTS.writeHoldMs,
          replicaMaxLagMs: raw.sentinel.replicaMaxLagMs ?? REDIS_DEFAULTS.replicaMaxLagMs,
        },
      }
    : raw.cluster
      ? {
          ...common,
          mode: 'cluster',
          cluster: {
            nodes: raw.cluster.nodes,
            scaleReads: raw.cluster.scaleReads ?? REDIS_DEFAULTS.clusterScaleReads,
            writeHoldMs: raw.cluster.writeHoldMs ?? REDIS_DEFAULTS.writeHoldMs,
            topologyCheckIntervalMs:
              raw.cluster.topologyCheckIntervalMs ?? REDIS_DEFAULTS.clusterTopologyCheckIntervalMs,
          },
        }
      : {
          ...common,
          mode: 'standalone',
          node: fromUrl.node ?? { host: raw.host ?? REDIS_DEFAULTS.host, port: raw.port ?? REDIS_DEFAULTS.port },
        };
  Object.defineProperty(resolved, RESOLVED, { value: true, enumerable: false });
  return deepFreeze(resolved);
}

/** TLS settings from `true`/`false` or the detailed form: certificates checked unless told otherwise. */
function resolveTls(
  tls: boolean | { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized?: boolean },
): ResolvedTlsOptions | null {
  if (tls === false) return null;
  if (tls === true) return { rejectUnauthorized: true };
  const { rejectUnauthorized = true, ...rest } = tls;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    rejectUnauthorized,
  };
}

interface UrlParts {
  node?: RedisNodeAddress;
  username?: string;
  password?: string;
  db?: number;
  tls?: boolean;
}

/** Splits a `redis://user:pass@host:port/db` URL; the schema already checked scheme and host. */
function parseStandaloneUrl(value: string, naming: ConfigIssueNaming): UrlParts {
  const url = new URL(value);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    const label = naming.labels?.url ?? 'url';
    throw new RedisConfigError([`${label}: the path must be a database number, got "${urlRedactor.redact(value)}"`]);
  }
  return {
    node: { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : REDIS_DEFAULTS.port },
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: dbText === '' ? undefined : Number(dbText),
    tls: url.protocol === 'rediss:' ? true : undefined,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
