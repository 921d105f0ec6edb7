import type { ResolvedRedisOptions } from '../../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../../redis.constants';
import type { RedisConnections } from '../redis-connections';
import type { RedisTopology } from './redis-topology';
import { SentinelTopology } from './sentinel-topology';
import { StandaloneTopology } from './standalone-topology';

/** The topology for the configured mode; every diagnostic question bounded by 750 ms at most. */
export function createRedisTopology(options: ResolvedRedisOptions, connections: RedisConnections): RedisTopology {
  const probeTimeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  return options.mode === 'sentinel'
    ? new SentinelTopology(options, connections, probeTimeoutMs)
    : new StandaloneTopology(options, connections, probeTimeoutMs);
}
