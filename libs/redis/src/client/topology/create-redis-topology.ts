import type { ResolvedRedisOptions } from '../../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../../redis.constants';
import type { RedisConnections } from '../redis-connections';
import { ClusterTopology } from './cluster-topology';
import type { RedisTopology } from './redis-topology';
import { SentinelTopology } from './sentinel-topology';
import { StandaloneTopology } from './standalone-topology';

/** The topology for the configured mode; every diagnostic question bounded by 750 ms at most. */
export function createRedisTopology(options: ResolvedRedisOptions, connections: RedisConnections): RedisTopology {
  const probeTimeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  switch (options.mode) {
    case 'sentinel':
      return new SentinelTopology(options, connections, probeTimeoutMs);
    case 'cluster':
      return new ClusterTopology(options, connections, probeTimeoutMs);
    case 'standalone':
      return new StandaloneTopology(options, connections, probeTimeoutMs);
  }
}
