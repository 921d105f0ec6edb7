import { z } from 'zod';
import { VALUE_IN_MESSAGE } from './config-issue.formatter';
import type { RedisNodeAddress } from './redis-module-options.interface';
import { envBoolean, envInteger } from './env-parsers';
import { parseSentinelEntry } from './sentinel-address.parser';

/** Present and not blank, trimmed; blank counts as unset. */
const envText = z.string().trim();

/** `host:port,host:port,…` (sentinels, or a cluster's seed nodes): every bad entry is its own issue. */
const envAddressList = z.string().transform((value, ctx): RedisNodeAddress[] => {
  const addresses: RedisNodeAddress[] = [];
  for (const entry of value.split(',')) {
    const result = parseSentinelEntry(entry);
    if (result.ok) addresses.push(result.address);
    else ctx.addIssue({ code: 'custom', message: result.problem, params: { [VALUE_IN_MESSAGE]: true } });
  }
  return addresses;
});

/** `announced=dialled,…`, each side `host:port`: every bad entry is its own issue. */
const envNatMap = z.string().transform((value, ctx): Record<string, RedisNodeAddress> => {
  const map: Record<string, RedisNodeAddress> = {};
  for (const entry of value.split(',')) {
    const sides = entry.split('=');
    const [from, to] = sides.map((side) => parseSentinelEntry(side));
    if (sides.length !== 2 || !from.ok || !to.ok) {
      const problem =
        sides.length !== 2
          ? `entry "${entry.trim()}": expected announced=dialled, each host:port`
          : [from, to].flatMap((side) => (side.ok ? [] : [side.problem])).join('; ');
      ctx.addIssue({ code: 'custom', message: problem, params: { [VALUE_IN_MESSAGE]: true } });
      continue;
    }
    map[`${from.address.host}:${from.address.port}`] = to.address;
  }
  return map;
});

/** Every environment variable the Redis module reads, and how its text is read. */
export const redisEnvSchema = z.object({
  REDIS_SENTINEL_ENABLED: envBoolean.optional(),
  REDIS_SENTINELS: envAddressList.optional(),
  REDIS_SENTINEL_MASTER_NAME: envText.optional(),
  REDIS_SENTINEL_USERNAME: envText.optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_SENTINEL_TLS: envBoolean.optional(),
  REDIS_SENTINEL_TLS_CA_FILE: envText.optional(),
  REDIS_SENTINEL_TLS_CERT_FILE: envText.optional(),
  REDIS_SENTINEL_TLS_KEY_FILE: envText.optional(),
  REDIS_SENTINEL_TLS_SERVERNAME: envText.optional(),
  REDIS_SENTINEL_TLS_REJECT_UNAUTHORIZED: envBoolean.optional(),
  REDIS_CLUSTER_ENABLED: envBoolean.optional(),
  REDIS_CLUSTER_NODES: envAddressList.optional(),
  REDIS_CLUSTER_SCALE_READS: envText.optional(),
  REDIS_CLUSTER_WRITE_HOLD_MS: envInteger.optional(),
  REDIS_HOST: envText.optional(),
  REDIS_PORT: envInteger.optional(),
  REDIS_URL: envText.optional(),
  REDIS_USERNAME: envText.optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_DB: envInteger.optional(),
  REDIS_TLS: envBoolean.optional(),
  REDIS_TLS_CA_FILE: envText.optional(),
  REDIS_TLS_CERT_FILE: envText.optional(),
  REDIS_TLS_KEY_FILE: envText.optional(),
  REDIS_TLS_SERVERNAME: envText.optional(),
  REDIS_TLS_REJECT_UNAUTHORIZED: envBoolean.optional(),
  REDIS_PROTOCOL: envInteger.optional(),
  REDIS_NAT_MAP: envNatMap.optional(),
  REDIS_KEY_PREFIX: z.string().optional(),
  REDIS_READ_FROM_REPLICAS: envBoolean.optional(),
  REDIS_SENTINEL_WRITE_HOLD_MS: envInteger.optional(),
  REDIS_REPLICA_MAX_LAG_MS: envInteger.optional(),
  REDIS_COMMAND_TIMEOUT_MS: envInteger.optional(),
  REDIS_FALLBACK_ENABLED: envBoolean.optional(),
  REDIS_FALLBACK_MAX_ENTRIES: envInteger.optional(),
  REDIS_FALLBACK_MAX_BYTES: envInteger.optional(),
  REDIS_HEALTH_STRICT: envBoolean.optional(),
  METRICS_NODE_LABELS: envBoolean.optional(),
});

/** Every environment variable the Redis module reads. */
export const REDIS_ENV_VARIABLES: readonly string[] = Object.freeze(Object.keys(redisEnvSchema.shape));

/** The parsed environment. */
export type RedisEnv = z.output<typeof redisEnvSchema>;
