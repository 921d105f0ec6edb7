import type Redis from 'ioredis';
import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import { formatAddress } from '../../options/sentinel-address.parser';
import { REDIS_DEFAULTS } from '../../redis.constants';
import type { ClusterShard } from './cluster-shards';
import type { SwitchoverResult, SwitchoverTimings } from './planned-switchover';
import { parseReplication, replicaCaughtUp, waitUntil } from './switchover-steps';

/** The cluster a shard switchover acts on. */
export interface SwitchoverCluster {
  /** The shards as the cluster describes them now (asked afresh). */
  shards(): Promise<ClusterShard[]>;
  /** Opens a connection that stays on the node announced at `address`, closed by the caller. */
  openNode(address: RedisNodeAddress): Redis;
}

/**
 * A planned change of one shard's primary that loses no acknowledged write. `CLUSTER FAILOVER`
 * alone lets the old primary acknowledge writes until the switch, and the replica is chosen for
 * us. So:
 *
 * 1. refuse unless the shard (named by its slot ranges, e.g. `0-5460`, as `/health` shows it) has
 *    a primary and an online replica in sync;
 * 2. `CLIENT PAUSE <pauseMs> WRITE` on the primary: from now on it acknowledges no write;
 * 3. wait until that replica has applied the primary's whole replication stream (its own
 *    `slave_repl_offset` reaches the paused primary's offset);
 * 4. `CLUSTER FAILOVER` on the replica (the manual failover, which the primary agrees to), and wait
 *    until the cluster names it the shard's primary;
 * 5. `CLIENT UNPAUSE` on the old primary, now a replica: the writes it held are answered `MOVED`
 *    and go to the new primary, never applied on the old one.
 *
 * @throws SwitchoverRefusedError (`unknown-shard`, `unexpected-primary`, `no-replica-in-sync`,
 *   `replica-behind`, `failover-refused`, `not-switched`); before step 4 the pause is released
 *   first; after it, only once the old primary is a replica (else the pause runs out by itself).
 */
export async function shardSwitchover(
  cluster: SwitchoverCluster,
  shardId: string,
  timings: Partial<SwitchoverTimings> = {},
  expectedPrimary?: RedisNodeAddress,
): Promise<SwitchoverResult> {
  const { pauseMs, catchUpMs, switchMs } = { ...REDIS_DEFAULTS.switchoverTimings, ...timings };
  const shard = (await cluster.shards()).find(({ id }) => id === shardId);
  if (!shard?.primary) {
    throw new SwitchoverRefusedError('unknown-shard', `no shard with a primary serves the slots ${shardId}`);
  }
  const from = { host: shard.primary.host, port: shard.primary.port };
  if (expectedPrimary && formatAddress(expectedPrimary) !== formatAddress(from)) {
    throw new SwitchoverRefusedError(
      'unexpected-primary',
      `the primary of shard ${shardId} is ${formatAddress(from)}, not the expected ${formatAddress(expectedPrimary)}; refusing`,
    );
  }
  const nodes: Redis[] = [];
  const open = (address: RedisNodeAddress): Redis => {
    const node = cluster.openNode(address);
    nodes.push(node);
    return node;
  };
  try {
    const primary = open(from);
    const before = parseReplication(String(await primary.call('INFO', 'replication')));
    const candidate = before.replicas.find(
      (replica) =>
        replica.online &&
        replica.lagSeconds <= 1 &&
        // The cluster's own view too: a replica it marks failed is not promoted.
        shard.replicas.some((known) => sameNode(known, replica) && !known.health.startsWith('fail')),
    );
    if (!candidate) {
      throw new SwitchoverRefusedError(
        'no-replica-in-sync',
        `no replica of ${formatAddress(from)} (shard ${shardId}) is online and in sync; refusing`,
      );
    }
    const announced = shard.replicas.find((known) => sameNode(known, candidate))!;
    const to = { host: announced.host, port: announced.port };
    const replica = open(to);

    await primary.call('CLIENT', 'PAUSE', String(pauseMs), 'WRITE');
    const pausedAt = performance.now();
    let releasable = true;
    try {
      const pausedOffset = parseReplication(String(await primary.call('INFO', 'replication'))).offset;
      await replicaCaughtUp([replica], pausedOffset, catchUpMs).catch(() => {
        throw new SwitchoverRefusedError(
          'replica-behind',
          `${formatAddress(to)} did not catch up with the paused primary within ${catchUpMs} ms`,
        );
      });
      try {
        await replica.call('CLUSTER', 'FAILOVER');
        releasable = false;
      } catch (error) {
        throw new SwitchoverRefusedError(
          'failover-refused',
          `CLUSTER FAILOVER was refused: ${(error as Error).message}`,
        );
      }
      await waitUntil(switchMs, async () => {
        const now = (await cluster.shards()).find(({ id }) => id === shardId);
        return (now?.primary && sameNode(now.primary, to)) || undefined;
      }).catch(() => {
        throw new SwitchoverRefusedError(
          'not-switched',
          `the cluster did not name ${formatAddress(to)} primary of shard ${shardId} within ${switchMs} ms`,
        );
      });
      const writeOutageMs = Math.round(performance.now() - pausedAt);
      const [role] = (await primary.call('ROLE').catch(() => [''])) as [string];
      return { from, to, writeOutageMs, oldPrimaryDemoted: role === 'slave', shard: shardId };
    } finally {
      const [role] = releasable ? ['master'] : ((await primary.call('ROLE').catch(() => [''])) as [string]);
      if (releasable || role === 'slave') await primary.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    }
  } finally {
    for (const node of nodes) node.disconnect();
  }
}

function sameNode(a: RedisNodeAddress, b: RedisNodeAddress): boolean {
  return a.host === b.host && a.port === b.port;
}
