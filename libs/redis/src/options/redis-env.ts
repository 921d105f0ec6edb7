import { readFileSync } from 'node:fs';
import { RedisConfigError } from '../errors/redis-config.error';
import { formatConfigIssues, type ConfigIssueNaming } from './config-issue.formatter';
import { presentEnv } from './env-parsers';
import { redisEnvSchema, type RedisEnv } from './redis-env.schema';
import type { RedisClusterOptions, RedisModuleOptions, RedisTlsOptions } from './redis-module-options.interface';
import { OPTION_NAMING, resolveRedisOptions } from './resolve-redis-options';
import type { ResolvedRedisOptions } from './resolved-redis-options.interface';

/** Option paths named by the environment variable they come from. */
const ENV_NAMING: ConfigIssueNaming = {
  labels: {
    sentinel: 'REDIS_SENTINEL_ENABLED',
    'sentinel.sentinels': 'REDIS_SENTINELS',
    'sentinel.masterName': 'REDIS_SENTINEL_MASTER_NAME',
    'sentinel.username': 'REDIS_SENTINEL_USERNAME',
    'sentinel.password': 'REDIS_SENTINEL_PASSWORD',
    'sentinel.tls': 'REDIS_SENTINEL_TLS',
    'sentinel.tls.ca': 'REDIS_SENTINEL_TLS_CA_FILE',
    'sentinel.tls.cert': 'REDIS_SENTINEL_TLS_CERT_FILE',
    'sentinel.tls.key': 'REDIS_SENTINEL_TLS_KEY_FILE',
    'sentinel.tls.servername': 'REDIS_SENTINEL_TLS_SERVERNAME',
    'sentinel.tls.rejectUnauthorized': 'REDIS_SENTINEL_TLS_REJECT_UNAUTHORIZED',
    'sentinel.readFromReplicas': 'REDIS_READ_FROM_REPLICAS',
    'sentinel.writeHoldMs': 'REDIS_SENTINEL_WRITE_HOLD_MS',
    'sentinel.replicaMaxLagMs': 'REDIS_REPLICA_MAX_LAG_MS',
    cluster: 'REDIS_CLUSTER_ENABLED',
    'cluster.nodes': 'REDIS_CLUSTER_NODES',
    'cluster.scaleReads': 'REDIS_CLUSTER_SCALE_READS',
    'cluster.writeHoldMs': 'REDIS_CLUSTER_WRITE_HOLD_MS',
    url: 'REDIS_URL',
    host: 'REDIS_HOST',
    port: 'REDIS_PORT',
    username: 'REDIS_USERNAME',
    password: 'REDIS_PASSWORD',
    db: 'REDIS_DB',
    tls: 'REDIS_TLS',
    'tls.ca': 'REDIS_TLS_CA_FILE',
    'tls.cert': 'REDIS_TLS_CERT_FILE',
    'tls.key': 'REDIS_TLS_KEY_FILE',
    'tls.servername': 'REDIS_TLS_SERVERNAME',
    'tls.rejectUnauthorized': 'REDIS_TLS_REJECT_UNAUTHORIZED',
    protocol: 'REDIS_PROTOCOL',
    natMap: 'REDIS_NAT_MAP',
    keyPrefix: 'REDIS_KEY_PREFIX',
    commandTimeoutMs: 'REDIS_COMMAND_TIMEOUT_MS',
    'fallback.enabled': 'REDIS_FALLBACK_ENABLED',
    'fallback.maxEntries': 'REDIS_FALLBACK_MAX_ENTRIES',
    'fallback.maxBytes': 'REDIS_FALLBACK_MAX_BYTES',
    'health.strict': 'REDIS_HEALTH_STRICT',
    'metrics.nodeLabels': 'METRICS_NODE_LABELS',
  },
  secretPaths: [...(OPTION_NAMING.secretPaths ?? []), 'REDIS_PASSWORD', 'REDIS_SENTINEL_PASSWORD'],
  redactors: { ...OPTION_NAMING.redactors, REDIS_URL: OPTION_NAMING.redactors!.url },
};

/**
 * Reads the `REDIS_*` variables into options: empty values count as unset, and every problem is
 * reported at once, each line naming its variable and (unless secret) its value.
 *
 * @throws RedisConfigError when any variable is malformed.
 */
export function parseRedisEnv(env: Readonly<Record<string, string | undefined>>): RedisModuleOptions {
  const parsed = redisEnvSchema.safeParse(presentEnv(env), { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, ENV_NAMING));
  const values = parsed.data;
  const data = tlsFromEnv(
    'REDIS_TLS',
    {
      on: values.REDIS_TLS,
      files: { ca: values.REDIS_TLS_CA_FILE, cert: values.REDIS_TLS_CERT_FILE, key: values.REDIS_TLS_KEY_FILE },
      servername: values.REDIS_TLS_SERVERNAME,
      rejectUnauthorized: values.REDIS_TLS_REJECT_UNAUTHORIZED,
    },
    values.REDIS_URL?.startsWith('rediss:') ?? false,
  );
  const sentinels = tlsFromEnv(
    'REDIS_SENTINEL_TLS',
    {
      on: values.REDIS_SENTINEL_TLS,
      files: {
        ca: values.REDIS_SENTINEL_TLS_CA_FILE,
        cert: values.REDIS_SENTINEL_TLS_CERT_FILE,
        key: values.REDIS_SENTINEL_TLS_KEY_FILE,
      },
      servername: values.REDIS_SENTINEL_TLS_SERVERNAME,
      rejectUnauthorized: values.REDIS_SENTINEL_TLS_REJECT_UNAUTHORIZED,
    },
    values.REDIS_TLS === true,
  );
  const problems = [...data.problems, ...sentinels.problems];
  if (problems.length > 0) throw new RedisConfigError(problems);
  const options = toOptions(values);
  return {
    ...options,
    tls: data.settings,
    sentinel: options.sentinel && { ...options.sentinel, tls: sentinels.settings },
  };
}

/** The TLS variables under one prefix (`REDIS_TLS`, `REDIS_SENTINEL_TLS`) and what they give. */
interface TlsEnv {
  on?: boolean;
  files: { ca?: string; cert?: string; key?: string };
  servername?: string;
  rejectUnauthorized?: boolean;
}

/**
 * TLS on or off alone, or with its details (their files read now): the files and the server name
 * need TLS on (`<prefix>=true`, or `onByDefault`: a `rediss://` URL, or the data nodes' TLS for the
 * sentinels), and a file that cannot be read is named. `<prefix>_REJECT_UNAUTHORIZED` counts only
 * with TLS on.
 */
function tlsFromEnv(
  prefix: 'REDIS_TLS' | 'REDIS_SENTINEL_TLS',
  tls: TlsEnv,
  onByDefault: boolean,
): { settings?: boolean | RedisTlsOptions; problems: string[] } {
  // What says whom to trust or be: given without TLS on, it would be silently ignored.
  const given = [
    ...Object.entries(tls.files).flatMap(([option, path]) =>
      path === undefined ? [] : [`${prefix}_${option.toUpperCase()}_FILE`],
    ),
    ...(tls.servername === undefined ? [] : [`${prefix}_SERVERNAME`]),
  ];
  if (given.length === 0 && tls.rejectUnauthorized === undefined) return { settings: tls.on, problems: [] };
  if (!(tls.on ?? onByDefault)) {
    return { settings: tls.on, problems: given.map((name) => `${name}: needs ${prefix}=true`) };
  }
  const problems: string[] = [];
  const settings: RedisTlsOptions = { servername: tls.servername, rejectUnauthorized: tls.rejectUnauthorized };
  for (const option of ['ca', 'cert', 'key'] as const) {
    const path = tls.files[option];
    if (path === undefined) continue;
    try {
      settings[option] = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(
        `${prefix}_${option.toUpperCase()}_FILE: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return { settings, problems };
}

/**
 * Validated, frozen options from the environment.
 *
 * @throws RedisConfigError listing every problem, each naming its variable; never a secret.
 * @example
 * const options = resolveRedisEnv(process.env);
 */
export function resolveRedisEnv(env: Readonly<Record<string, string | undefined>>): ResolvedRedisOptions {
  return resolveRedisOptions(parseRedisEnv(env), ENV_NAMING);
}

function toOptions(env: RedisEnv): RedisModuleOptions {
  const sentinelMode = env.REDIS_SENTINEL_ENABLED === true;
  return {
    sentinel: sentinelMode
      ? {
          sentinels: env.REDIS_SENTINELS ?? [],
          masterName: env.REDIS_SENTINEL_MASTER_NAME,
          username: env.REDIS_SENTINEL_USERNAME,
          password: env.REDIS_SENTINEL_PASSWORD,
          readFromReplicas: env.REDIS_READ_FROM_REPLICAS,
          writeHoldMs: env.REDIS_SENTINEL_WRITE_HOLD_MS,
          replicaMaxLagMs: env.REDIS_REPLICA_MAX_LAG_MS,
        }
      : undefined,
    cluster:
      env.REDIS_CLUSTER_ENABLED === true
        ? {
            nodes: env.REDIS_CLUSTER_NODES ?? [],
            scaleReads: env.REDIS_CLUSTER_SCALE_READS as RedisClusterOptions['scaleReads'],
            writeHoldMs: env.REDIS_CLUSTER_WRITE_HOLD_MS,
          }
        : undefined,
    url: env.REDIS_URL,
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    db: env.REDIS_DB,
    protocol: env.REDIS_PROTOCOL as RedisModuleOptions['protocol'],
    natMap: env.REDIS_NAT_MAP,
    keyPrefix: env.REDIS_KEY_PREFIX,
    commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    fallback: {
      enabled: env.REDIS_FALLBACK_ENABLED,
      maxEntries: env.REDIS_FALLBACK_MAX_ENTRIES,
      maxBytes: env.REDIS_FALLBACK_MAX_BYTES,
    },
    health: { strict: env.REDIS_HEALTH_STRICT },
    metrics: { nodeLabels: env.METRICS_NODE_LABELS },
  };
}
