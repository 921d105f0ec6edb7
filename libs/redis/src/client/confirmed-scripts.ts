import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import type { RedisConnections } from './redis-connections';
import type { RedisClient } from './redis-client';
import type { RedisScript } from './redis-script';
import { ReplicatedScripts } from './replicated-scripts';

/** A script's reply, and how many replicas confirmed it when fewer than required did. */
export interface ConfirmedReply {
  reply: unknown;
  /** The replicas that confirmed a write that needed more; null when confirmed (or nothing to confirm). */
  unconfirmed: number | null;
}

/**
 * Lua scripts for state that a failover must not lose (lock grants, idempotency claims): on a
 * primary connection of their own (a `WAIT` blocks its connection), and, when a script wrote,
 * confirmed by `replicas` replicas with `WAIT` (group-committed, see `ReplicatedScripts`). With
 * `replicas` 0 (a standalone Redis) they run by SHA1 and nothing is awaited.
 */
export class ConfirmedScripts {
  /** The connection to run them on (pass it to the executor as `primary`). */
  readonly client: RedisClient;
  private readonly replicated: ReplicatedScripts;

  constructor(
    connections: RedisConnections,
    purpose: string,
    private readonly replicas: number,
    timeoutMs: number,
  ) {
    this.client = connections.primaryClient(purpose);
    this.replicated = new ReplicatedScripts(replicas, timeoutMs);
  }

  /**
   * Runs `script` through `client`; when `wrote(reply)`, waits for the replicas.
   * @throws RedisOutcomeUnknownError when it wrote and the `WAIT` got no answer; the script's and the
   *   connection's errors.
   */
  async run(
    client: RedisClient,
    script: RedisScript,
    keys: readonly string[],
    args: readonly (string | number)[],
    wrote: (reply: unknown) => boolean,
  ): Promise<ConfirmedReply> {
    if (this.replicas === 0) return { reply: await script.run(client, keys, args), unconfirmed: null };
    const { reply, acknowledged } = await this.replicated.run(client, script, keys, args);
    if (!wrote(reply)) return { reply, unconfirmed: null };
    if (acknowledged instanceof Error) {
      throw new RedisOutcomeUnknownError('applied on the primary, but its WAIT got no answer');
    }
    return { reply, unconfirmed: acknowledged < this.replicas ? acknowledged : null };
  }
}
