/** Injection token of the frozen {@link ResolvedRedisOptions}. */
export const REDIS_RESOLVED_OPTIONS = Symbol('REDIS_RESOLVED_OPTIONS');
/** Injection token of the ioredis client that talks to the primary (writes, and reads in standalone mode); an ioredis `Cluster` in Cluster mode. */
export const REDIS_WRITE_CLIENT = Symbol('REDIS_WRITE_CLIENT');
/** Injection token of the ioredis client that reads from a replica (the write client in standalone mode, and in Cluster mode unless reads go to replicas). */
export const REDIS_READ_CLIENT = Symbol('REDIS_READ_CLIENT');

/** Defaults for every option, in one place. */
export const REDIS_DEFAULTS = Object.freeze({
  host: 'localhost',
  port: 6379,
  db: 0,
  tls: false,
  keyPrefix: 'app:',
  /** RESP3, ioredis' default. */
  protocol: 3 as const,
  masterName: 'mymaster',
  readFromReplicas: true,
  commandTimeoutMs: 500,
  fallbackEnabled: true,
  fallbackMaxEntries: 10_000,
  fallbackMaxBytes: 32 * 1024 * 1024,
  /**
   * Sentinel mode refuses to start with fewer distinct sentinels (a quorum of 2 needs 3 voters),
   * Cluster mode with fewer seed nodes (so that one down still leaves two to ask).
   */
  minDiscoveryNodes: 3,
  /** How often the sentinels are asked for the master, in case their pub/sub messages were lost. */
  masterCheckIntervalMs: 2000,
  /** How long a write waits for the primary during a failover (Sentinel and Cluster mode) before failing. */
  writeHoldMs: 10_000,
  /** Where cache reads go in Cluster mode: the primaries, so that every read sees every acknowledged write. */
  clusterScaleReads: 'master' as const,
  /** How often the cluster's slot map is asked for, besides every `MOVED` reply. */
  clusterTopologyCheckIntervalMs: 2000,
  /**
   * How long a shard's sign of trouble (its connection lost) may precede the failover it times: a
   * cluster promotes a replica a node timeout or two after its primary fails, so older trouble
   * passed without one.
   */
  clusterTroubleMemoryMs: 30_000,
  /** Reads skip a replica that lags the primary by more than this. */
  replicaMaxLagMs: 1000,
  /** How often the read replica's link and lag are checked (Sentinel mode, reads from replicas). */
  replicaCheckIntervalMs: 500,
  /** Primary offset readings kept to estimate replica lag (20 checks: 10 s). */
  replicaLagSamples: 20,
  /**
   * A connection that got no byte back for this many command timeouts while commands were waiting
   * is torn down and reconnected (a socket that died silently, without FIN or RST).
   */
  stalledSocketTimeouts: 3,
  /** Key (under the key prefix) that the circuit breaker's write probe sets. */
  writeProbeKey: 'sentinel-kit:write-probe',
  /** Expiry of that key. */
  writeProbeTtlMs: 10_000,
  /**
   * Namespace (under the key prefix) and slot tag of the switchover's keys, which one script uses
   * together: `sentinel-kit:{switchover}lock` (one switchover at a time, across instances) and
   * `sentinel-kit:{switchover}cooldown` (none while a cooldown runs).
   */
  switchoverKeys: Object.freeze({ namespace: 'sentinel-kit:', slotTag: 'switchover' }),
  /** The lock outlives the longest switchover by this much (connections, checks). */
  switchoverLockMarginMs: 5000,
  /** How long a planned switchover may take, and how long writes are held meanwhile (see `SwitchoverTimings`). */
  switchoverTimings: Object.freeze({ pauseMs: 10_000, catchUpMs: 1000, switchMs: 8000 }),
  /** Longest pause between two attempts of a held call that Redis refused (`NOREPLICAS`, `READONLY`…). */
  maxRetryPauseMs: 500,
  /** Upper bound on opening one connection (including the sentinel lookup). */
  connectTimeoutMs: 2000,
  /** The least command timeout of a connection pinned to one node for a short task (the planned switchover). */
  nodeClientMinCommandTimeoutMs: 1000,
  /** How long a closing socket may linger before it is destroyed (ioredis `disconnectTimeout`). */
  disconnectTimeoutMs: 200,
  /** Consecutive Redis failures that open the circuit. */
  failureThreshold: 3,
  /** Pause between two recovery probes while the circuit is open. */
  probeIntervalMs: 500,
  /** How long `onModuleInit` waits for the first connection before starting degraded. */
  startupWaitMs: 3000,
  /** How long shutdown waits for `QUIT` before dropping the connections. */
  shutdownTimeoutMs: 2000,
  /** Failover records kept in the status history. */
  failoverHistorySize: 20,
  /** Sentinel events within this window with the same text are one event reported by several sentinels. */
  eventDedupWindowMs: 5000,
  /** Latency samples kept for percentiles. */
  latencySamples: 1024,
  /** Whether the health indicator reports `down` while the fallback serves. */
  healthStrict: false,
  /** Whether replica and sentinel metric series are labelled with the node's address. */
  metricsNodeLabels: true,
  /** Upper bound on the health indicator's `PING`, so that probes answer within a second. */
  healthProbeTimeoutMs: 750,
  /** How often the sentinels are asked `CKQUORUM`, to log quorum lost or regained. */
  quorumCheckIntervalMs: 5000,
  /** How long the detailed cluster view is reused, so a burst of probes costs one collection. */
  clusterViewCacheMs: 1000,
  /** Metrics scrapes read the cluster view at most this old (plus one scrape interval), collected in the background. */
  metricsViewMaxAgeMs: 10_000,
  /** How often the pub/sub subscriber connection is pinged to find a connection that died silently. */
  pubsubPingIntervalMs: 5000,
  /** Largest pub/sub message, encoded, in bytes. */
  pubsubMaxMessageBytes: 65_536,
});

/** Every sentinel event the failover tracker subscribes to. */
export const SENTINEL_EVENT_CHANNELS = Object.freeze([
  '+switch-master',
  '+sdown',
  '-sdown',
  '+odown',
  '-odown',
  '+try-failover',
  '+failover-end',
  '+tilt',
  '-tilt',
] as const);
