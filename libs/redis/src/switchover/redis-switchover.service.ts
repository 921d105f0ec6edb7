import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { RedisScript } from '../client/redis-script';
import type { SwitchoverResult, SwitchoverTimings } from '../client/topology/planned-switchover';
import { RedisTopology } from '../client/topology/redis-topology';
import { SwitchoverRefusedError } from '../errors/switchover-refused.error';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_DEFAULTS } from '../redis.constants';

/** What one switchover asks for. */
export interface SwitchoverRequest {
  /** Refuse (`unexpected-primary`) unless this is the primary (of `shard`) when the switchover starts. */
  expectedPrimary?: RedisNodeAddress;
  /** Cluster mode, required: the shard whose primary changes, by its slot ranges as `/health` shows them (e.g. `0-5460`). */
  shard?: string;
  /**
   * After this switchover completes, refuse another (`cooldown`) for this long, on every instance
   * sharing the Redis group and key prefix. @default 0
   */
  cooldownMs?: number;
  timings?: Partial<SwitchoverTimings>;
}

/**
 * Takes the switchover lock unless a cooldown runs or another switchover holds it. KEYS: lock,
 * cooldown. ARGV: owner token, lock TTL ms. Returns `{ 'locked', 0 }`, or the refusal and the ms it
 * has left.
 */
const TAKE_LOCK = new RedisScript(`
local cooling = redis.call('PTTL', KEYS[2])
if cooling > 0 then return { 'cooldown', cooling } end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return { 'locked', 0 } end
return { 'in-progress', redis.call('PTTL', KEYS[1]) }
`);

/**
 * Releases the switchover lock if this owner still holds it, and starts the cooldown. KEYS: lock,
 * cooldown. ARGV: owner token, cooldown ms (0: none).
 */
const RELEASE_LOCK = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
return 1
`);

/**
 * Planned switchover of the Sentinel group this application uses (see `RedisTopology.switchover`):
 * no acknowledged write lost, writes held for the switch only. One at a time across every
 * instance: a lock in Redis (`SET NX PX` with an owner token, released by its owner only), and an
 * optional cooldown after each completed switchover.
 */
@Injectable()
export class RedisSwitchoverService {
  private readonly logger = new Logger('RedisModule');
  private readonly lockKey: string;
  private readonly cooldownKey: string;

  constructor(
    private readonly topology: RedisTopology,
    private readonly executor: RedisExecutor,
    keyspace: RedisKeyspace,
  ) {
    const { namespace, slotTag } = REDIS_DEFAULTS.switchoverKeys;
    const keys = keyspace.namespace(namespace);
    this.lockKey = keys.inSlot(slotTag, 'lock');
    this.cooldownKey = keys.inSlot(slotTag, 'cooldown');
  }

  /**
   * @throws SwitchoverRefusedError when not in Sentinel mode, another switchover runs, the cooldown
   *   runs, the primary is not the expected one, or a check fails (see its `reason`).
   * @throws the executor's typed errors when Redis cannot take the lock.
   */
  async switchover(request: SwitchoverRequest = {}): Promise<SwitchoverResult> {
    // Without a failover to stage, the topology refuses (`not-sentinel`): no lock to take first.
    if (!this.topology.failsOver) return this.topology.switchover(request);
    const owner = randomBytes(16).toString('base64url');
    await this.lock(owner, request.timings);
    let completed = false;
    try {
      this.logger.warn('planned switchover: starting');
      const result = await this.topology.switchover(request);
      completed = true;
      this.logger.warn(
        `planned switchover: primary ${result.shard === undefined ? '' : `of shard ${result.shard} `}${formatAddress(result.from)} -> ${formatAddress(result.to)}, ` +
          `writes held ${result.writeOutageMs} ms, old primary demoted: ${result.oldPrimaryDemoted}`,
      );
      return result;
    } catch (error) {
      this.logger.error(`planned switchover failed: ${(error as Error).message}`);
      throw error;
    } finally {
      const released = this.release(owner, completed ? (request.cooldownMs ?? 0) : 0).catch(() => undefined);
      // A completed switchover answers once its cooldown is set. A failed one answers at once: its
      // primary may still be paused, holding the release, and the lock expires by itself anyway.
      if (completed) await released;
    }
  }

  /** Takes the lock for longer than a switchover can last. */
  private async lock(owner: string, timings: Partial<SwitchoverTimings> = {}): Promise<void> {
    const { pauseMs, catchUpMs, switchMs } = { ...REDIS_DEFAULTS.switchoverTimings, ...timings };
    const ttlMs = Math.max(pauseMs, catchUpMs + switchMs) + REDIS_DEFAULTS.switchoverLockMarginMs;
    const { value } = await this.executor.write({
      name: 'switchover.lock',
      redis: (client) => TAKE_LOCK.run(client, [this.lockKey, this.cooldownKey], [owner, ttlMs]),
    });
    const [state, leftMs] = value as [string, number];
    if (state === 'cooldown') {
      throw new SwitchoverRefusedError('cooldown', `a switchover completed recently; next one in ${leftMs} ms`, leftMs);
    }
    if (state === 'in-progress') {
      throw new SwitchoverRefusedError('in-progress', 'another switchover is running', Math.max(leftMs, 0));
    }
  }

  private async release(owner: string, cooldownMs: number): Promise<void> {
    await this.executor.write({
      name: 'switchover.unlock',
      idempotent: true,
      redis: (client) => RELEASE_LOCK.run(client, [this.lockKey, this.cooldownKey], [owner, cooldownMs]),
    });
  }
}
