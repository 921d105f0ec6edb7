import type { Logger } from '@nestjs/common';
import { isIP } from 'node:net';
import type Redis from 'ioredis';
import { withTimeout } from '../../common/with-timeout';
import { RedisPermissionError } from '../../errors/redis-permission.error';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { ResolvedSentinelOptions } from '../../options/resolved-redis-options.interface';
import { formatAddress } from '../../options/sentinel-address.parser';
import { REDIS_DEFAULTS, SENTINEL_EVENT_CHANNELS } from '../../redis.constants';
import { askNode } from '../ask-node';
import { dialledAddress } from '../dialled-address';
import { reconnectNow } from '../reconnect-now';
import { type RedisConnections, waitForReady } from '../redis-connections';
import type { SentinelConnection } from '../sentinel-client.factory';
import { majorityPrimary } from './sentinel-votes';
import type { TopologyObserver } from './topology-views';

/**
 * Keeps the module's view of a Sentinel group true, and the write client on the primary:
 * - subscribes to the sentinels' events on every configured sentinel and reports them; on a
 *   change of primary the observer calls {@link followPrimary}, which moves the write client at
 *   once, before the old primary can acknowledge writes that the failover discards (the ioredis
 *   failover detector's job, done here with error handling);
 * - checks at startup that the group and our permissions are sound;
 * - every `masterCheckIntervalMs` asks the sentinels who the master is, in case a `+switch-master`
 *   was lost, and moves the write client when it is not on that master.
 */
export class SentinelWatch {
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private primary: RedisNodeAddress | null = null;

  constructor(
    private readonly options: ResolvedSentinelOptions,
    private readonly connections: RedisConnections,
    private readonly logger: Logger,
    private readonly probeTimeoutMs: number,
  ) {}

  /** The primary last named by the sentinels or followed; null before the first answer. */
  get knownPrimary(): RedisNodeAddress | null {
    return this.primary;
  }

  /** @throws RedisPermissionError when a sentinel refuses a command we depend on (`NOPERM`). */
  async start(observer: TopologyObserver): Promise<void> {
    const subscriptions = this.connections.sentinels.map((sentinel) => this.subscribe(sentinel, observer));
    await this.connections.connect();
    const problems = (
      await Promise.all([
        ...subscriptions,
        ...this.connections.sentinels.map((sentinel) => this.checkSentinel(sentinel)),
      ])
    ).flat();
    if (problems.length > 0) {
      // Nest runs no shutdown hook after a failed start: close here so nothing keeps retrying.
      await this.connections.close();
      throw new RedisPermissionError(`Sentinel permissions missing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    await this.pollMaster(observer);
    await this.checkDiscoveredMasterRole();
    this.pollTimer = setInterval(() => void this.pollMaster(observer), this.options.sentinel.masterCheckIntervalMs);
    this.pollTimer.unref();
  }

  stop(): void {
    clearInterval(this.pollTimer);
  }

  /**
   * Moves every client that should be on the primary (the write client and any extra one) to
   * `master`, as the sentinels announce it (a client is on it when it dialled its `natMap` entry).
   */
  async followPrimary(master: RedisNodeAddress): Promise<void> {
    this.primary = master;
    const dialled = dialledAddress(this.options, master);
    await Promise.all(this.connections.primaries().map((client) => this.ensureOn(client as Redis, dialled)));
  }

  /**
   * Subscribes to every event channel, now and after each reconnect; resolves to the permission
   * problems found at startup (a `NOPERM`).
   */
  private async subscribe(sentinel: SentinelConnection, observer: TopologyObserver): Promise<string[]> {
    sentinel.events.on('message', (channel: string, message: string) => {
      observer.sentinelEvent(channel, message, sentinel.address);
    });
    // Subscribing twice to a channel is harmless, so the first 'ready' may repeat the call below.
    sentinel.events.on('ready', () => {
      sentinel.events.subscribe(...SENTINEL_EVENT_CHANNELS).catch((error: unknown) => {
        this.logger.error(
          `sentinel ${sentinel.label}: resubscribing to events failed (${this.describe(error)}); ` +
            'failovers are noticed by polling only until it succeeds',
        );
      });
    });
    try {
      await withTimeout(sentinel.events.subscribe(...SENTINEL_EVENT_CHANNELS), REDIS_DEFAULTS.startupWaitMs);
      return [];
    } catch (error) {
      if (isNoPerm(error)) {
        return [
          `sentinel ${sentinel.label}: SUBSCRIBE to the sentinel event channels was refused (NOPERM); failovers would go unnoticed`,
        ];
      }
      this.logger.warn(`sentinel ${sentinel.label}: could not subscribe to events yet; retrying in the background`);
      return [];
    }
  }

  /**
   * CKQUORUM (warn when not OK), then every other `SENTINEL` subcommand the toolkit sends: a
   * `NOPERM` on any of them is a startup problem. ioredis itself sends `get-master-addr-by-name`,
   * `sentinels` and (for the read client) `slaves`: refused, they surface later only as
   * "All sentinels are unreachable".
   */
  private async checkSentinel(sentinel: SentinelConnection): Promise<string[]> {
    const name = this.options.sentinel.masterName;
    if (!(await waitForReady(sentinel.commands, REDIS_DEFAULTS.connectTimeoutMs))) {
      this.logger.warn(`sentinel ${sentinel.label}: unreachable at startup`);
      return [];
    }
    const problems: string[] = [];
    try {
      const quorum = String(await sentinel.commands.call('SENTINEL', 'CKQUORUM', name));
      if (!quorum.startsWith('OK')) this.logger.warn(`sentinel ${sentinel.label}: CKQUORUM ${name}: ${quorum}`);
    } catch (error) {
      if (isNoPerm(error)) problems.push(`sentinel ${sentinel.label}: SENTINEL CKQUORUM was refused (NOPERM)`);
      else this.logger.warn(`sentinel ${sentinel.label}: CKQUORUM ${name} failed: ${this.describe(error)}`);
    }
    const needed: [string, string[]][] = [
      ['GET-MASTER-ADDR-BY-NAME', [name]],
      ['SENTINELS', [name]],
      ...(this.options.sentinel.readFromReplicas ? [['SLAVES', [name]] as [string, string[]]] : []),
      ['REPLICAS', [name]],
      ['MASTER', [name]],
      ['MYID', []],
    ];
    for (const [subcommand, args] of needed) {
      try {
        await sentinel.commands.call('SENTINEL', subcommand, ...args);
      } catch (error) {
        if (isNoPerm(error)) problems.push(`sentinel ${sentinel.label}: SENTINEL ${subcommand} was refused (NOPERM)`);
        else this.logger.warn(`sentinel ${sentinel.label}: SENTINEL ${subcommand} failed: ${this.describe(error)}`);
      }
    }
    return problems;
  }

  /** Warns when the master the sentinels named does not answer ROLE as master. */
  private async checkDiscoveredMasterRole(): Promise<void> {
    if (this.connections.write.status !== 'ready') return;
    try {
      const [role] = (await this.connections.write.call('ROLE')) as [string];
      if (role !== 'master') this.logger.warn(`the discovered master answers ROLE as "${role}", not "master"`);
    } catch (error) {
      this.logger.warn(`ROLE on the discovered master failed: ${this.describe(error)}`);
    }
  }

  /** Asks every sentinel for the master; acts on the address most of the answering sentinels give. */
  private async pollMaster(observer: TopologyObserver): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const name = this.options.sentinel.masterName;
      const answers = await Promise.all(
        this.connections.sentinels.map((s) =>
          askNode(s.commands, this.probeTimeoutMs, 'SENTINEL', 'get-master-addr-by-name', name),
        ),
      );
      const master = majorityPrimary(answers);
      if (!master) return;
      // A change is the observer's to handle: it records the failover and calls followPrimary.
      if (!observer.primaryNamed(master)) await this.followPrimary(master);
    } finally {
      this.polling = false;
    }
  }

  /**
   * Reconnects `client` when it is ready somewhere other than `master` (by address when the master
   * is an IP literal, else by asking `ROLE`). A client waiting to reconnect is reconnected at once:
   * it finds the new master through the sentinels. A client that is connecting is left alone: it is
   * asking the sentinels already, and its socket is still the old one. Disconnecting it then would
   * end it for good: ioredis gives up ("Connection is closed") on a connect cut short, and never
   * retries.
   */
  private async ensureOn(client: Redis, master: RedisNodeAddress): Promise<void> {
    if (client.status === 'reconnecting') {
      // Waiting out a back-off (up to a second) after failing to reach the old primary: try now,
      // the sentinels name the new one.
      reconnectNow(client);
      return;
    }
    if (client.status !== 'ready') return;
    const remote = client.stream?.remoteAddress?.replace(/^::ffff:/, '');
    const misplaced =
      isIP(master.host) !== 0 && remote !== undefined
        ? remote !== master.host || client.stream.remotePort !== master.port
        : await client.call('ROLE').then(
            (reply) => String((reply as unknown[])[0]) !== 'master',
            () => false,
          );
    if (misplaced && client.status === 'ready') {
      this.logger.warn(`a client is not on the primary ${formatAddress(master)}; reconnecting it`);
      client.disconnect(true);
    }
  }

  private describe(error: unknown): string {
    return this.connections.redactor.redact(error instanceof Error ? error.message : String(error));
  }
}

function isNoPerm(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOPERM');
}
