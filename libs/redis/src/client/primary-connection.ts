import calculateSlot from 'cluster-key-slot';
import { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import type { RedisClient } from './redis-client';

/**
 * The one connection that takes the writes of `key`: the client itself (standalone, Sentinel), or
 * a Cluster client's connection to the primary of `key`'s slot as it last knew the slots; null
 * when it knows no such connection (the slot's primary was lost, a new one not learnt yet).
 */
export function primaryConnectionFor(client: RedisClient, key: string): Redis | null {
  if (!(client instanceof Cluster)) return client;
  const nodeKey = client.slots[calculateSlot(key)]?.[0];
  if (nodeKey === undefined) return null;
  return client.nodes('master').find(({ options }) => `${options.host}:${options.port}` === nodeKey) ?? null;
}

/** After a `MOVED` or `ASK` that a command sent to a node itself met: the Cluster client learns the slots again. */
export function afterRedirection(client: RedisClient, error: Error): void {
  if (client instanceof Cluster && /^(?:MOVED|ASK) /.test(error.message)) client.refreshSlotsCache();
}
