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
