import type { ReplicaReadStatus } from '../client/replica-read.gate';
import type {
  ClusterDescription,
  PrimaryView,
  QuorumCheck,
  ReplicaView,
  SentinelView,
} from '../client/topology/topology-views';
import type { FailoverRecord } from '../failover/failover.interfaces';

/** Everything `GET /health/redis` shows. */
export interface RedisClusterView {
  mode: 'standalone' | 'sentinel' | 'cluster';
  collectedAt: string;
  /** Null when the primary did not answer in time. */
  primary: PrimaryView | null;
  replicas: ReplicaView[];
  /** Where reads go (the replica, or the primary) and why a replica is skipped. */
  reads: ReplicaReadStatus;
  sentinels: SentinelView[];
  /** `SENTINEL CKQUORUM`: `ok`, or the reason it is not; null outside Sentinel mode. */
  quorum: QuorumCheck | null;
  /**
   * Cluster mode: `cluster_state`, slot coverage, and each shard's primary and replicas with their
   * lag (`CLUSTER SHARDS`); null otherwise.
   */
  cluster: ClusterDescription | null;
  failover: {
    count: number;
    lastFailoverAt: string | null;
    lastDurationMs: number | null;
    history: readonly FailoverRecord[];
  };
  performance: { readLatencyP99Ms: number; writeLatencyP99Ms: number; opsPerSecond: number };
  fallback: { active: boolean; entries: number; since: string | null };
  /** Settings that lose data or cause spurious failovers (see `RedisConfigAdvisor`). */
  warnings: string[];
}
