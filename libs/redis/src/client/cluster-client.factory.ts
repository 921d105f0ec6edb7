import type { LoggerService } from '@nestjs/common';
import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { SecretRedactor } from '../errors/secret-redactor';
import type { ResolvedClusterOptions } from '../options/resolved-redis-options.interface';
import { attachConnectionStateLogging } from './connection-state.logger';
import { nodeConnectionOptions } from './node-connection-options';
import { reconnectDelay } from './reconnect-policy';

/**
 * How often a command is sent on after a redirection (`MOVED`, `ASK`) or a lost node connection
 * before ioredis gives up: enough to follow a moved slot, few enough that the executor's bounded
 * hold, not ioredis, waits out a shard's failover.
 */
const MAX_REDIRECTIONS = 6;

/**
 * ioredis `Cluster` options with the guarantees of `buildClientOptions`: every command bounded
 * by the command timeout on its node, a silent socket torn down, nothing queued while the cluster
 * is unknown, unanswered commands never sent again by ioredis, and reconnection that never stops.
 * Addresses the cluster announces are dialled through `natMap`.
 *
 * @param scaleReads where read-only commands go (`master` for every client but the cache's reads).
 */
export function buildClusterOptions(
  options: ResolvedClusterOptions,
  scaleReads: ResolvedClusterOptions['cluster']['scaleReads'],
  purpose: string,
): ClusterOptions {
  return {
    scaleReads,
    redisOptions: nodeConnectionOptions(options, purpose),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRedirections: MAX_REDIRECTIONS,
    slotsRefreshTimeout: options.commandTimeoutMs,
    slotsRefreshInterval: options.cluster.topologyCheckIntervalMs,
    clusterRetryStrategy: (attempt) => reconnectDelay(attempt),
    // A function handing out copies: ioredis writes into the address it is given.
    natMap: (key: string) => {
      const dialled = options.natMap[key];
      return dialled && { ...dialled };
    },
  };
}

/**
 * A cluster client for one purpose (`write`, `read`, `durable`…), named `sentinel-kit:<purpose>`
 * in every node's `CLIENT LIST`, with an error listener and state logging. `nodeOverrides` adjust
 * the options of its node connections (e.g. `autoResubscribe` for a subscriber).
 */
export function createClusterClient(
  options: ResolvedClusterOptions,
  purpose: string,
  logger: LoggerService,
  redactor: SecretRedactor,
  scaleReads: ResolvedClusterOptions['cluster']['scaleReads'] = 'master',
  nodeOverrides: Partial<RedisOptions> = {},
): Cluster {
  const built = buildClusterOptions(options, scaleReads, purpose);
  const client = new Cluster(
    options.cluster.nodes.map(({ host, port }) => ({ host, port })),
    { ...built, redisOptions: { ...built.redisOptions, ...nodeOverrides } },
  );
  attachConnectionStateLogging(client, `${purpose} client`, logger, redactor);
  return client;
}
