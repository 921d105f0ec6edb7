import type { RedisNodeAddress } from '../../options/redis-module-options.interface';

/** One node of a shard, as `CLUSTER SHARDS` describes it. */
export interface ClusterShardNode extends RedisNodeAddress {
  /** `online`, `failed` or `loading` (a replica still copying the data set). */
  health: string;
  /** Its replication offset. */
  replicationOffset: number;
}

/** A replica of a shard. */
export interface ClusterReplicaNode extends ClusterShardNode {
  /** Bytes of the primary's replication stream it has not got yet; null without a primary. */
  offsetLagBytes: number | null;
}

/** One shard: the slots it serves, its primary, and its replicas. */
export interface ClusterShard {
  /** Its slot ranges as text, e.g. `0-5460`: what names a shard across failovers. */
  id: string;
  /** Inclusive `[first, last]` slot ranges. */
  slots: [number, number][];
  /** Null while no node of the shard is a primary that is not failed. */
  primary: ClusterShardNode | null;
  replicas: ClusterReplicaNode[];
}

/**
 * The shards in a `CLUSTER SHARDS` reply (RESP2 flat lists or RESP3 maps), shards without slots
 * left out. A failed primary is not the shard's primary; the address is the one the node announces
 * (its TLS port when `tls`).
 */
export function parseClusterShards(reply: unknown, tls: boolean): ClusterShard[] {
  if (!Array.isArray(reply)) return [];
  const shards: ClusterShard[] = [];
  for (const entry of reply) {
    const shard = asRecord(entry);
    const ranges = (Array.isArray(shard.slots) ? shard.slots : []).map(Number);
    if (ranges.length === 0) continue;
    const slots: [number, number][] = [];
    for (let i = 0; i + 1 < ranges.length; i += 2) slots.push([ranges[i], ranges[i + 1]]);
    const members = (Array.isArray(shard.nodes) ? shard.nodes : []).map(asRecord);
    const node = (member: Record<string, unknown>): ClusterShardNode => ({
      host: String(member.ip ?? member.endpoint),
      port: Number(tls && member['tls-port'] !== undefined ? member['tls-port'] : member.port),
      health: String(member.health),
      replicationOffset: Number(member['replication-offset'] ?? 0),
    });
    const primary = members.find((member) => member.role === 'master' && !String(member.health).startsWith('fail'));
    slots.sort(([a], [b]) => a - b);
    const primaryNode = primary ? node(primary) : null;
    shards.push({
      id: slots.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(','),
      slots,
      primary: primaryNode,
      replicas: members
        .filter((member) => member.role === 'replica')
        .map(node)
        .map((replica) => ({
          ...replica,
          offsetLagBytes: primaryNode && Math.max(0, primaryNode.replicationOffset - replica.replicationOffset),
        })),
    });
  }
  return shards.sort((a, b) => a.slots[0][0] - b.slots[0][0]);
}

/** A flat `[field, value, …]` list or a map, as a record. */
function asRecord(value: unknown): Record<string, unknown> {
  if (value instanceof Map) return Object.fromEntries(value as Map<string, unknown>);
  if (!Array.isArray(value))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < value.length; i += 2) record[String(value[i])] = value[i + 1];
  return record;
}
