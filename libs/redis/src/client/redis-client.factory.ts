import type { LoggerService } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import type { SecretRedactor } from '../errors/secret-redactor';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type {
  ResolvedRedisOptions,
  ResolvedSentinelOptions,
  ResolvedStandaloneOptions,
} from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import { attachConnectionStateLogging } from './connection-state.logger';
import { nodeConnectionOptions } from './node-connection-options';
import { reconnectDelay } from './reconnect-policy';
import { tlsConnectionOptions } from './tls-connection-options';
import { createSentinelConnections, type SentinelConnection } from './sentinel-client.factory';
import { createClusterClient } from './cluster-client.factory';
import type { RedisClient } from './redis-client';
import type { CommandDeadlines } from './command-deadlines';
import { CoalescedRedis } from './coalesced-redis';
import { guardSocketErrors, GuardedSentinelConnector } from './socket-error-guard';

/** The write client and the read client; the same instance in standalone mode (and in Cluster mode reading from primaries). */
export interface RedisClientPair {
  write: RedisClient;
  read: RedisClient;
}

/**
 * Builds ioredis options that do not lose or stall work silently:
 * - every command is bounded by the command timeout (by {@link CommandDeadlines}, which the
 *   client factories attach, rather than ioredis' timer per command), a connection attempt by
 *   `connectTimeout`;
 * - a connection that sends commands and gets no byte back for a few command timeouts
 *   (`socketTimeout`) is torn down and reconnected: a socket that died silently (no FIN, no RST,
 *   e.g. a NAT or firewall that forgot it) would otherwise time out every command forever;
 * - no offline queue: while disconnected a call fails at once instead of piling up to be replayed;
 * - unanswered commands are not resent after a reconnect (they are reported as unknown outcome);
 * - a `READONLY` reply (we are talking to a demoted primary) triggers a reconnect;
 * - reconnection never stops, and neither does the search through the sentinels;
 * - a `+switch-master` moves the write client at once (done by the Sentinel topology's watch).
 *
 * No ioredis `keyPrefix`: finding the keys of every command to prefix them costs about a sixth of
 * a client's throughput, so the services build their keys through `RedisKeyspace` instead.
 */
export function buildClientOptions(
  options: ResolvedStandaloneOptions | ResolvedSentinelOptions,
  role: 'master' | 'slave',
  purpose: string,
): RedisOptions {
  const base: RedisOptions = {
    ...nodeConnectionOptions(options, purpose),
    commandTimeout: undefined,
    db: options.db,
    enableOfflineQueue: false,
    lazyConnect: true,
    retryStrategy: (attempt) => reconnectDelay(attempt),
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  if (options.mode === 'standalone') return { ...base, host: options.node.host, port: options.node.port };
  const { sentinel } = options;
  return {
    ...base,
    sentinels: sentinel.sentinels.map(({ host, port }) => ({ host, port })),
    name: sentinel.masterName,
    role,
    sentinelUsername: sentinel.username,
    sentinelPassword: sentinel.password,
    sentinelTLS: tlsConnectionOptions(sentinel.tls),
    enableTLSForSentinelMode: options.tls !== null,
    sentinelCommandTimeout: options.commandTimeoutMs,
    sentinelRetryStrategy: (attempt) => reconnectDelay(attempt),
    // A function handing out copies: ioredis writes the TLS settings into the address it is given.
    natMap: (key: string) => {
      const dialled = options.natMap[key];
      return dialled && { ...dialled };
    },
    // Failover detection is done by SentinelWatch on every sentinel, not by ioredis' detector:
    // the detector's sentinel connections have no error listener, so a single dead sentinel makes
    // ioredis print "Unhandled error event" on every retry, and nothing outside ioredis can see them.
    failoverDetector: false,
    // Its own connections to the sentinels get the socket error guard too.
    Connector: GuardedSentinelConnector,
  };
}

/**
 * The only place that creates data-node clients. Each gets an error listener, state logging, its
 * commands bounded by `deadlines` and its writes coalesced while replies are awaited
 * ({@link CoalescedRedis}); in Cluster mode, whose node connections ioredis makes, ioredis' own
 * `commandTimeout` bounds the commands and each is its own write. Clients are created lazily connected;
 * `RedisConnections` connects them.
 */
export function createRedisClients(
  options: ResolvedRedisOptions,
  logger: LoggerService,
  redactor: SecretRedactor,
  deadlines: CommandDeadlines,
): RedisClientPair {
  if (options.mode === 'cluster') {
    const write = createClusterClient(options, 'write', logger, redactor);
    const { scaleReads } = options.cluster;
    return {
      write,
      read: scaleReads === 'master' ? write : createClusterClient(options, 'read', logger, redactor, scaleReads),
    };
  }
  const write = createPrimaryClient(options, 'write', logger, redactor, deadlines);
  if (options.mode === 'standalone' || !options.sentinel.readFromReplicas) return { write, read: write };
  const read = guardSocketErrors(new CoalescedRedis(buildClientOptions(options, 'slave', 'read')));
  deadlines.watch(read);
  attachConnectionStateLogging(read, 'read client', logger, redactor);
  return { write, read };
}

/**
 * A client on the primary (every shard's primary, in Cluster mode) for one purpose (`write`, or
 * e.g. `durable` for writes that block on `WAIT` and must not hold up the others), named
 * `sentinel-kit:<purpose>` in `CLIENT LIST`. `overrides` adjust its ioredis options (e.g.
 * `autoResubscribe` for a subscriber); in Cluster mode, those of its node connections.
 */
export function createPrimaryClient(
  options: ResolvedRedisOptions,
  purpose: string,
  logger: LoggerService,
  redactor: SecretRedactor,
  deadlines: CommandDeadlines,
  overrides: Partial<RedisOptions> = {},
): RedisClient {
  if (options.mode === 'cluster') {
    return createClusterClient(options, purpose, logger, redactor, 'master', overrides);
  }
  const client = guardSocketErrors(
    new CoalescedRedis({ ...buildClientOptions(options, 'master', purpose), ...overrides }),
  );
  deadlines.watch(client);
  attachConnectionStateLogging(client, `${purpose} client`, logger, redactor);
  return client;
}

/**
 * A connection to one node at a fixed address that never reconnects, for a short task that must
 * stay on that node whatever the sentinels say (the planned switchover's old primary). The caller
 * disconnects it.
 */
export function createNodeClient(options: ResolvedRedisOptions, address: RedisNodeAddress, purpose: string): Redis {
  const client = new Redis({
    host: address.host,
    port: address.port,
    username: options.username,
    password: options.password,
    tls: tlsConnectionOptions(options.tls),
    protocol: options.protocol,
    commandTimeout: Math.max(options.commandTimeoutMs, REDIS_DEFAULTS.nodeClientMinCommandTimeoutMs),
    connectTimeout: REDIS_DEFAULTS.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: `sentinel-kit:${purpose}`,
  });
  return guardSocketErrors(client).on('error', () => undefined);
}

/** Creates the module's ioredis connections; replaced in unit specs by fakes. */
export interface RedisClientFactory {
  clients(
    options: ResolvedRedisOptions,
    logger: LoggerService,
    redactor: SecretRedactor,
    deadlines: CommandDeadlines,
  ): RedisClientPair;
  primaryClient(
    options: ResolvedRedisOptions,
    purpose: string,
    logger: LoggerService,
    redactor: SecretRedactor,
    deadlines: CommandDeadlines,
    overrides: Partial<RedisOptions>,
  ): RedisClient;
  sentinelConnections(
    options: ResolvedSentinelOptions,
    logger: LoggerService,
    redactor: SecretRedactor,
  ): SentinelConnection[];
  nodeClient(options: ResolvedRedisOptions, address: RedisNodeAddress, purpose: string): Redis;
}

/** The factory `RedisConnections` uses unless given another: real ioredis clients. */
export const IOREDIS_CLIENT_FACTORY: RedisClientFactory = {
  clients: createRedisClients,
  primaryClient: createPrimaryClient,
  sentinelConnections: createSentinelConnections,
  nodeClient: createNodeClient,
};
