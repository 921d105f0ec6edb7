import type Redis from 'ioredis';
import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import { formatAddress } from '../../options/sentinel-address.parser';
import { REDIS_DEFAULTS } from '../../redis.constants';
import { askNode } from '../ask-node';
import { reconnectNow } from '../reconnect-now';
import { waitForReady } from '../redis-connections';
import type { SentinelConnection } from '../sentinel-client.factory';
import { majorityPrimary, quorumFrom } from './sentinel-votes';
import { parseReplication, replicaCaughtUp, waitUntil } from './switchover-steps';

/** How long a planned switchover may take, and how long writes are held meanwhile. */
export interface SwitchoverTimings {
  /** `CLIENT PAUSE … WRITE` on the old primary, an upper bound: released once it is demoted. @default 10000 */
  pauseMs: number;
  /** How long replicas may take to catch up with the paused primary. @default 1000 */
  catchUpMs: number;
  /** How long the sentinels may take to switch. @default 8000 */
  switchMs: number;
}

/** What a planned switchover acts on, and its limits. */
export interface SwitchoverTarget {
  /** Refuse (`unexpected-primary`) unless this is the primary (of `shard`) when it starts. */
  expectedPrimary?: RedisNodeAddress;
  /** Cluster mode, required: the shard whose primary changes, by its slot ranges (e.g. `0-5460`). */
  shard?: string;
  timings?: Partial<SwitchoverTimings>;
}

/** What a completed switchover did. */
export interface SwitchoverResult {
  from: RedisNodeAddress;
  to: RedisNodeAddress;
  /** From pausing writes on the old primary to the sentinels naming the new one. */
  writeOutageMs: number;
  /** Whether the old primary reported itself a replica before its pause was released. */
  oldPrimaryDemoted: boolean;
  /** Cluster mode: the shard whose primary changed, by its slot ranges. */
  shard?: string;
}

/** The Sentinel group a switchover acts on, through the module's own connections. */
export interface SwitchoverGroup {
  masterName: string;
  /** The module's query connections to the sentinels. */
  sentinels: readonly SentinelConnection[];
  /** Bound on each question to a sentinel. */
  probeTimeoutMs: number;
  /** Opens a connection that stays on the node at `address` (the old primary, its replicas), closed by the caller. */
  openNode(address: RedisNodeAddress): Redis;
}

/**
 * A planned primary change that loses no acknowledged write. `SENTINEL FAILOVER` alone does not
 * stop the old primary from acknowledging writes until Sentinel demotes it (about ten seconds), and
 * those writes are lost. So:
 *
 * 1. refuse unless `SENTINEL CKQUORUM` is OK and a replica is online and caught up;
 * 2. `CLIENT PAUSE <pauseMs> WRITE` on the primary: from now on it acknowledges no write;
 * 3. wait until a replica has applied the primary's whole replication stream (its own
 *    `slave_repl_offset` reaches the paused primary's offset);
 * 4. `SENTINEL FAILOVER`, and wait until the sentinels name the new primary;
 * 5. `REPLICAOF <new primary>` on the old one at once (what Sentinel itself does about ten seconds
 *    later; `REPLICAOF` is not held by the pause), then `CLIENT UNPAUSE`: the writes it held are
 *    refused (`READONLY`), never applied.
 *
 * Never uses the `FAILOVER` command, which a Sentinel-managed group must not run. Asks the
 * sentinels through the module's query connections, and the old primary through one connection
 * pinned to it (the write client would follow the failover, and its queued writes would hold up
 * the checks behind the pause).
 *
 * @param expectedPrimary when given, refuse unless the sentinels name this primary.
 * @throws SwitchoverRefusedError when a check fails (nothing was changed before step 2; after it
 *   and before step 4, the pause is released before throwing; after step 4, or when a sentinel
 *   answers that a failover is already in progress, it is left to run out unless the old primary
 *   was demoted, since Sentinel may still complete the switch).
 */
export async function plannedSwitchover(
  group: SwitchoverGroup,
  timings: Partial<SwitchoverTimings> = {},
  expectedPrimary?: RedisNodeAddress,
): Promise<SwitchoverResult> {
  const { pauseMs, catchUpMs, switchMs } = { ...REDIS_DEFAULTS.switchoverTimings, ...timings };
  const { masterName } = group;
  let primary: Redis | undefined;
  const replicas: Redis[] = [];
  try {
    await sentinelsReachable(group);
    const from = await askMaster(group);
    if (!from)
      throw new SwitchoverRefusedError('no-primary', `no sentinel majority names the primary of "${masterName}"`);
    if (expectedPrimary && formatAddress(expectedPrimary) !== formatAddress(from)) {
      throw new SwitchoverRefusedError(
        'unexpected-primary',
        `the primary is ${formatAddress(from)}, not the expected ${formatAddress(expectedPrimary)}; refusing`,
      );
    }
    await requireQuorum(group);
    primary = group.openNode(from);
    const before = parseReplication(String(await primary.call('INFO', 'replication')));
    if (!before.replicas.some((r) => r.online && r.lagSeconds <= 1)) {
      throw new SwitchoverRefusedError(
        'no-replica-in-sync',
        `no replica of ${formatAddress(from)} is online and in sync; refusing`,
      );
    }

    for (const { host, port } of before.replicas.filter((r) => r.online)) replicas.push(group.openNode({ host, port }));

    await primary.call('CLIENT', 'PAUSE', String(pauseMs), 'WRITE');
    const pausedAt = performance.now();
    // Once Sentinel was asked, or said a failover is already running, the pause is no longer ours to
    // lift: CLIENT UNPAUSE lifts every pause, including one that another switchover relies on.
    let releasable = true;
    try {
      const pausedOffset = parseReplication(String(await primary.call('INFO', 'replication'))).offset;
      await replicaCaughtUp(replicas, pausedOffset, catchUpMs).catch(() => {
        throw new SwitchoverRefusedError(
          'replica-behind',
          `no replica caught up with the paused primary within ${catchUpMs} ms`,
        );
      });
      await failoverThroughOneSentinel(group, () => (releasable = false));
      const to = await waitUntil(switchMs, async () => {
        const master = await askMaster(group);
        return master && formatAddress(master) !== formatAddress(from) ? master : undefined;
      }).catch(() => {
        throw new SwitchoverRefusedError(
          'not-switched',
          `the sentinels did not name a new primary within ${switchMs} ms`,
        );
      });
      const writeOutageMs = Math.round(performance.now() - pausedAt);
      await primary.call('REPLICAOF', to.host, String(to.port)).catch(() => undefined);
      const [role] = (await primary.call('ROLE').catch(() => [''])) as [string];
      return { from, to, writeOutageMs, oldPrimaryDemoted: role === 'slave' };
    } finally {
      // Before Sentinel was asked, releasing lets the primary go on. Once it was asked (even if the
      // switch was not seen in time: Sentinel may still complete it), or refused because a failover
      // is already running, only a demoted primary is released, its held writes then refused;
      // otherwise the pause runs out by itself.
      const [role] = releasable ? ['master'] : ((await primary.call('ROLE').catch(() => [''])) as [string]);
      if (releasable || role === 'slave') await primary.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    }
  } finally {
    primary?.disconnect();
    for (const replica of replicas) replica.disconnect();
  }
}

/**
 * Gives every sentinel connection that is down a prompt chance to come back (a sentinel restarted
 * a moment ago is otherwise still in its reconnect back-off), at most `connectTimeoutMs`: a vote
 * counts only the sentinels that answer.
 */
async function sentinelsReachable({ sentinels }: SwitchoverGroup): Promise<void> {
  await Promise.all(
    sentinels.map(({ commands }) => {
      reconnectNow(commands);
      return waitForReady(commands, REDIS_DEFAULTS.connectTimeoutMs);
    }),
  );
}

/** The primary a majority of the answering sentinels name. */
async function askMaster({
  sentinels,
  probeTimeoutMs,
  masterName,
}: SwitchoverGroup): Promise<RedisNodeAddress | undefined> {
  const answers = await Promise.all(
    sentinels.map((s) => askNode(s.commands, probeTimeoutMs, 'SENTINEL', 'get-master-addr-by-name', masterName)),
  );
  return majorityPrimary(answers);
}

async function requireQuorum({ sentinels, probeTimeoutMs, masterName }: SwitchoverGroup): Promise<void> {
  const quorum = quorumFrom(
    await Promise.all(sentinels.map((s) => askNode(s.commands, probeTimeoutMs, 'SENTINEL', 'CKQUORUM', masterName))),
  );
  if (!quorum.ok) {
    throw new SwitchoverRefusedError('no-quorum', `Sentinel quorum is not reached (${quorum.message}); refusing`);
  }
}

/**
 * `SENTINEL FAILOVER` on one sentinel, the next one only if it could not be asked: each sentinel
 * asked would start a failover of its own, and concurrent failovers promote different replicas.
 * @param onAsked called once a sentinel took the request, or answered that a failover is already
 *   in progress (`INPROG`): from then on, the primary may be changing under someone else's pause.
 */
async function failoverThroughOneSentinel(
  { sentinels, masterName }: SwitchoverGroup,
  onAsked: () => void,
): Promise<void> {
  let lastError: unknown;
  for (const sentinel of sentinels) {
    try {
      await sentinel.commands.call('SENTINEL', 'FAILOVER', masterName);
      onAsked();
      return;
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.startsWith('INPROG')) onAsked();
      // A sentinel that answered (e.g. INPROG, NOGOODSLAVE) has decided: do not ask another.
      if (error instanceof Error && /^[A-Z]+ /.test(error.message)) break;
    }
  }
  throw new SwitchoverRefusedError(
    'failover-refused',
    `SENTINEL FAILOVER was refused: ${(lastError as Error).message}`,
  );
}
