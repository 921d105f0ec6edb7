import type Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectedReplicas, parseInfo, type ConnectedReplica } from '../../common/redis-replies';

const POLL_MS = 20;

/** A primary's replication offset and its replicas, from `INFO replication`. */
export interface ReplicationState {
  offset: number;
  replicas: ConnectedReplica[];
}

/** Reads a primary's `INFO replication` text. */
export function parseReplication(text: string): ReplicationState {
  const info = parseInfo(text);
  return { offset: Number(info.master_repl_offset ?? 0), replicas: connectedReplicas(info) };
}

/** Polls `check` every 20 ms until it returns a value, or rejects after `timeoutMs`. */
export async function waitUntil<T>(timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() >= deadline) throw new Error('timed out');
    await sleep(POLL_MS);
  }
}

/**
 * Resolves once one of `replicas` has applied its primary's replication stream up to `offset`: its
 * own `slave_repl_offset`, not the offset the primary lists for it, which replicas acknowledge only
 * once a second (that alone could outlast `timeoutMs`). Rejects after `timeoutMs`.
 */
export function replicaCaughtUp(replicas: readonly Redis[], offset: number, timeoutMs: number): Promise<Redis> {
  return waitUntil(timeoutMs, async () => {
    const applied = await Promise.all(
      replicas.map((replica) =>
        replica.call('INFO', 'replication').then(
          (text) => Number(parseInfo(String(text)).slave_repl_offset),
          () => -1,
        ),
      ),
    );
    return replicas.find((_, i) => applied[i] >= offset);
  });
}
