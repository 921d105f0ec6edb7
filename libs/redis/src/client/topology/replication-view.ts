import { connectedReplicas, pairsToRecord, parseInfo } from '../../common/redis-replies';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { ReplicaView, ReplicationView } from './topology-views';

/**
 * The primary and its replicas from the primary's `INFO replication` answer and, in Sentinel mode,
 * the sentinels' `SENTINEL REPLICAS` answer: the replicas the sentinels list (or, without that list,
 * the ones the primary lists), each with the lag figures the primary has for it.
 */
export function replicationView(
  info: unknown,
  primaryAddress: RedisNodeAddress,
  sentinelReplicas: unknown = null,
): ReplicationView {
  const replication = typeof info === 'string' ? parseInfo(info) : null;
  const primary = replication
    ? {
        host: primaryAddress.host,
        port: primaryAddress.port,
        role: replication.role ?? 'unknown',
        connectedReplicas: Number(replication.connected_slaves ?? 0),
        replicationOffset: Number(replication.master_repl_offset ?? 0),
      }
    : null;
  return { primary, replicas: mergeReplicas(replication, sentinelReplicas) };
}

function mergeReplicas(replication: Record<string, string> | null, fromSentinel: unknown): ReplicaView[] {
  const primaryOffset = Number(replication?.master_repl_offset ?? 0);
  const connected = new Map(
    connectedReplicas(replication ?? {}).map((r) => [
      `${r.host}:${r.port}`,
      { lag: r.lagSeconds, offset: r.offset, online: r.online },
    ]),
  );
  const listed = Array.isArray(fromSentinel)
    ? (fromSentinel as string[][]).map((flat) => {
        const fields = pairsToRecord(flat);
        const flags = (fields.flags ?? '').split(',');
        return {
          host: fields.ip,
          port: Number(fields.port),
          up:
            fields['master-link-status'] === 'ok' &&
            !flags.some((f) => ['s_down', 'o_down', 'disconnected'].includes(f)),
          priority: fields['slave-priority'] === undefined ? null : Number(fields['slave-priority']),
        };
      })
    : [...connected.keys()].map((key) => {
        const [host, port] = key.split(':');
        return { host, port: Number(port), up: true, priority: null };
      });
  return listed.map(({ host, port, up, priority }) => {
    const seen = connected.get(`${host}:${port}`);
    return {
      host,
      port,
      role: 'replica',
      linkStatus: up && seen?.online !== false ? 'up' : 'down',
      lagSeconds: seen ? seen.lag : null,
      offsetLagBytes: seen ? Math.max(0, primaryOffset - seen.offset) : null,
      priority,
    };
  });
}
