import type { ReplicaReadStatus } from '../client/replica-read.gate';
import type { FailoverRecord } from '../failover/failover.interfaces';

/** The primary as it describes itself (`INFO replication`). */
export interface PrimaryView {
  host: string;
  port: number;
  role: string;
  connectedReplicas: number;
  replicationOffset: number;
}

/** A replica as the sentinels and the primary see it. */
export interface ReplicaView {
  host: string;
  port: number;
  role: 'replica';
  /** `up` when the replica's link to the primary is up and no sentinel marks it down. */
  linkStatus: 'up' | 'down';
  /** Seconds since the replica last acknowledged the stream (from the primary); null when not connected. */
  lagSeconds: number | null;
  /** Bytes of the replication stream it has not acknowledged yet; null when not connected. */
  offsetLagBytes: number | null;
  /** Sentinel's `replica-priority` (0: never promoted). */
  priority: number | null;
}

/** One configured sentinel. */
export interface SentinelView {
  host: string;
  port: number;
  reachable: boolean;
  /** Round trip of a `PING`; null when unreachable. */
  latencyMs: number | null;
}

/** Everything `GET /health/redis` shows. */
export interface RedisClusterView {
  mode: 'standalone' | 'sentinel';
  collectedAt: string;
  /** Null when the primary did not answer in time. */
  primary: PrimaryView | null;
  replicas: ReplicaView[];
  /** Where reads go (the replica, or the primary) and why a replica is skipped. */
  reads: ReplicaReadStatus;
  sentinels: SentinelView[];
  /** `SENTINEL CKQUORUM`: `ok`, or the reason it is not; null in standalone mode. */
  quorum: { ok: boolean; message: string } | null;
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
