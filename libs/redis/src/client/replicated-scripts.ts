import type Redis from 'ioredis';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import { RedisUnavailableError } from '../errors/redis-unavailable.error';
import { afterRedirection, primaryConnectionFor } from './primary-connection';
import type { RedisClient } from './redis-client';
import { isNoScript, type RedisScript } from './redis-script';

/** A script's reply, and what its `WAIT` said. */
export interface ReplicatedReply {
  reply: unknown;
  /**
   * How many replicas confirmed the write (with every earlier write on its connection), or the
   * error the `WAIT` failed with: then whether it was replicated is unknown.
   */
  acknowledged: number | Error;
}

/** Scripts one batch carries at most, so that a batch never outgrows the command timeout. */
const MAX_BATCH = 128;

interface PendingScript {
  script: RedisScript;
  /** Send the text with `EVAL`: its `EVALSHA` found no such script on the node. */
  withText: boolean;
  keys: readonly string[];
  args: readonly (string | number)[];
  resolve: (reply: ReplicatedReply) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs Lua scripts on the primary of their keys, each confirmed by `WAIT <replicas> <timeoutMs>`,
 * with group commit. `WAIT` blocks its connection until it returns, so concurrent writes sent one
 * `WAIT` each would wait out one another's: while no replica confirms (a shard left without a
 * replica by its failover, a replica resyncing), N writes would take N × `timeoutMs`, past the
 * command timeout. Instead each connection has one batch in flight at most: the scripts that arrive
 * meanwhile go out together next, followed by one `WAIT` that covers them all.
 *
 * A batch and its `WAIT` go out on one socket, so a reconnect in between fails them instead of
 * confirming them against another node. A script's error reply fails that script only. Scripts go
 * by SHA1 (`EVALSHA`); one the node does not have (`NOSCRIPT`: a new or restarted node, a
 * failover) ran nothing, and goes again in the next batch with its text, which caches it there.
 */
export class ReplicatedScripts {
  private readonly queues = new WeakMap<Redis, ConnectionQueue>();

  constructor(
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Runs `script` on the primary of `keys` (one slot) through `client`.
   * @throws the script's error reply; ioredis' error when the connection fails (to be mapped by
   *   the executor); RedisUnavailableError when the client knows no primary for the keys' slot.
   */
  run(
    client: RedisClient,
    script: RedisScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<ReplicatedReply> {
    const connection = primaryConnectionFor(client, keys[0]);
    if (connection === null) {
      return Promise.reject(new RedisUnavailableError('no known primary for the slot of the write (a shard failover)'));
    }
    let queue = this.queues.get(connection);
    if (!queue) {
      queue = new ConnectionQueue((batch) => this.send(client, connection, batch));
      this.queues.set(connection, queue);
    }
    return new Promise((resolve, reject) => queue.push({ script, withText: false, keys, args, resolve, reject }));
  }

  /** Sends one batch and its `WAIT`, and settles each script of it. Never throws. */
  private async send(client: RedisClient, connection: Redis, batch: PendingScript[]): Promise<void> {
    let results: [Error | null, unknown][] | null;
    try {
      const pipeline = connection.pipeline();
      for (const { script, withText, keys, args } of batch) {
        if (withText) pipeline.eval(script.lua, keys.length, ...keys, ...args);
        else pipeline.evalsha(script.sha1, keys.length, ...keys, ...args);
      }
      pipeline.wait(this.replicas, this.timeoutMs);
      results = await pipeline.exec();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (!results) {
      const error = new RedisOutcomeUnknownError('a replicated write: the pipeline returned no replies');
      for (const pending of batch) pending.reject(error);
      return;
    }
    const [waitError, acknowledgements] = results[batch.length];
    const acknowledged = waitError ?? Number(acknowledgements);
    batch.forEach((pending, i) => {
      const [error, reply] = results[i];
      if (error && isNoScript(error) && !pending.withText) {
        this.queues.get(connection)!.push({ ...pending, withText: true });
      } else if (error) {
        afterRedirection(client, error);
        pending.reject(error);
      } else {
        pending.resolve({ reply, acknowledged });
      }
    });
  }
}

/** The scripts waiting for one connection, sent a batch at a time. */
class ConnectionQueue {
  private readonly waiting: PendingScript[] = [];
  private draining = false;

  constructor(private readonly sendBatch: (batch: PendingScript[]) => Promise<void>) {}

  push(pending: PendingScript): void {
    this.waiting.push(pending);
    if (this.draining) return;
    this.draining = true;
    // The scripts pushed in the same tick leave in the first batch.
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      await this.sendBatch(this.waiting.splice(0, MAX_BATCH));
    }
    this.draining = false;
  }
}
