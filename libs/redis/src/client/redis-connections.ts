import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import type Redis from 'ioredis';
import type { RedisClient } from './redis-client';
import type { RedisOptions } from 'ioredis';
import { SecretRedactor } from '../errors/secret-redactor';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import { IOREDIS_CLIENT_FACTORY, type RedisClientFactory } from './redis-client.factory';
import type { SentinelConnection } from './sentinel-client.factory';
import { logEvent } from '../common/log-event';
import { CommandDeadlines } from './command-deadlines';

/**
 * Owns every connection the module opens: the write and read clients and, in Sentinel mode, two
 * connections per sentinel. It connects them at startup without blocking for long (an unreachable
 * Redis means a degraded start, not a failed one) and closes them all, within a bound, at shutdown.
 */
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisModule');
  /** Removes the configured passwords from anything logged or returned. */
  readonly redactor: SecretRedactor;
  readonly write: RedisClient;
  readonly read: RedisClient;
  /** Empty in standalone mode. Read only inside `client/`: the topology is the seam to them. */
  readonly sentinels: readonly SentinelConnection[];
  private readonly extraPrimaries = new Map<string, RedisClient>();
  private readonly nodeClients = new Set<Redis>();
  private connecting?: Promise<void>;
  private readonly closing = new AbortController();
  /** Bounds the commands of the data-node clients by the command timeout. */
  private readonly deadlines: CommandDeadlines;

  /** @param factory creates the ioredis clients; unit specs give fakes. */
  constructor(
    private readonly options: ResolvedRedisOptions,
    private readonly factory: RedisClientFactory = IOREDIS_CLIENT_FACTORY,
  ) {
    this.redactor = new SecretRedactor([
      options.password,
      options.mode === 'sentinel' ? options.sentinel.password : undefined,
    ]);
    this.deadlines = new CommandDeadlines(options.commandTimeoutMs);
    const clients = factory.clients(options, this.logger, this.redactor, this.deadlines);
    this.write = clients.write;
    this.read = clients.read;
    this.sentinels =
      options.mode === 'sentinel' ? factory.sentinelConnections(options, this.logger, this.redactor) : [];
    // Every call held through a failover waits on these (see waitForReady): as many listeners as
    // calls in flight, which is no leak.
    setMaxListeners(0, this.closing.signal);
    for (const client of [this.write, this.read]) client.setMaxListeners(0);
  }

  /**
   * Starts connecting everything and waits at most `startupWaitMs` for the connections to the
   * primary and the read client's replica (so that reads go to a replica from the first call).
   * Safe to call more than once. Never rejects: the clients keep reconnecting in the background.
   */
  connect(): Promise<void> {
    this.connecting ??= this.connectAll();
    return this.connecting;
  }

  onModuleInit(): Promise<void> {
    return this.connect();
  }

  /**
   * A further connection to the primary for one purpose, created on first request and then
   * shared: closed at shutdown and moved on failover like the write client. Use it for commands
   * that block (such as `WAIT`) so they never hold up the write client's other callers, or for a
   * subscriber. `overrides` apply when the client is created (the first request for `purpose`).
   */
  primaryClient(purpose: string, overrides: Partial<RedisOptions> = {}): RedisClient {
    let client = this.extraPrimaries.get(purpose);
    if (!client) {
      client = this.factory.primaryClient(this.options, purpose, this.logger, this.redactor, this.deadlines, overrides);
      client.setMaxListeners(0);
      this.extraPrimaries.set(purpose, client);
      if (this.connecting) client.connect().catch(() => undefined);
    }
    return client;
  }

  /**
   * A connection to the node at `address` that stays there (it never reconnects, nor follows a
   * failover), for a short task on that node. Disconnect it when done; one still open at shutdown
   * is closed with the others.
   */
  nodeClient(address: RedisNodeAddress, purpose: string): Redis {
    const client = this.factory.nodeClient(this.options, address, purpose);
    this.nodeClients.add(client);
    client.once('end', () => this.nodeClients.delete(client));
    return client;
  }

  /** Every client connected to the primary: the write client first. */
  primaries(): RedisClient[] {
    return [this.write, ...this.extraPrimaries.values()];
  }

  /** Every distinct client, data nodes first. */
  allClients(): RedisClient[] {
    return [...new Set([...this.primaries(), this.read, ...this.sentinels.flatMap((s) => [s.commands, s.events])])];
  }

  /**
   * Aborted once {@link close} starts: no connection will be ready again. ioredis cannot say so
   * itself: a client closed while it waits to reconnect keeps the status `reconnecting` and never
   * emits `end` (redis/ioredis#1247).
   */
  get closed(): AbortSignal {
    return this.closing.signal;
  }

  /** Closes every connection, each within `shutdownTimeoutMs`. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const client of this.nodeClients) client.disconnect();
    await Promise.all(this.allClients().map((client) => closeWithin(client, REDIS_DEFAULTS.shutdownTimeoutMs)));
    this.deadlines.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async connectAll(): Promise<void> {
    for (const client of this.allClients()) {
      // Failures are reported by the clients' own error listeners; they keep retrying.
      client.connect().catch(() => undefined);
    }
    const [primariesReady] = await Promise.all([
      Promise.all(this.primaries().map((client) => waitForReady(client, REDIS_DEFAULTS.startupWaitMs))),
      waitForReady(this.read, REDIS_DEFAULTS.startupWaitMs),
    ]);
    const ready = primariesReady.every(Boolean);
    if (!ready) {
      const target = this.options.mode === 'sentinel' ? `master "${this.options.sentinel.masterName}"` : 'Redis';
      this.logger.warn(
        logEvent(
          'redis.start-degraded',
          { waitedMs: REDIS_DEFAULTS.startupWaitMs },
          `${target} not reachable within ${REDIS_DEFAULTS.startupWaitMs} ms; starting degraded and retrying in the background`,
        ),
      );
      if (this.options.mode === 'cluster') void this.explainUnreachableSeed(this.options.cluster.nodes[0]);
    }
  }

  /**
   * A Cluster client that reaches no node says only that its slot refresh failed: its refresh
   * connections drop their errors. One connection to a seed node, with the same settings, logs why
   * (a certificate refused, a password refused, nothing listening).
   */
  private async explainUnreachableSeed(seed: RedisNodeAddress): Promise<void> {
    const probe = this.nodeClient(seed, 'diagnosis');
    const reason = await new Promise<string | null>((resolve) => {
      probe.once('error', (error: Error) => resolve(error.message));
      probe.once('ready', () => resolve(null));
      probe.once('end', () => resolve('the connection closed'));
    });
    probe.disconnect();
    if (reason === null) return;
    const node = `${seed.host}:${seed.port}`;
    const text = this.redactor.redact(reason);
    this.logger.warn(logEvent('redis.seed-unreachable', { node, error: text }, `cluster seed node ${node}: ${text}`));
  }
}

/**
 * Resolves true once `client` is ready; false after `timeoutMs`, or as soon as it cannot be ready
 * again: the client ended, or `closed` (see {@link RedisConnections.closed}) was aborted.
 */
export function waitForReady(client: RedisClient, timeoutMs: number, closed?: AbortSignal): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (client.status === 'end' || closed?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onReady = (): void => finish(true);
    const onGone = (): void => finish(false);
    const timer = setTimeout(onGone, timeoutMs);
    function finish(result: boolean): void {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onGone);
      closed?.removeEventListener('abort', onGone);
      resolve(result);
    }
    client.once('ready', onReady);
    client.once('end', onGone);
    closed?.addEventListener('abort', onGone, { once: true });
  });
}

/**
 * `QUIT` when connected, but never wait longer than `timeoutMs`; then `disconnect()`, which also
 * stops ioredis' own sentinel lookups and any pending reconnect.
 */
async function closeWithin(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  client.disconnect();
}
