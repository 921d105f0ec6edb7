/** A `host:port` pair. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** TLS to the data nodes beyond on/off: whom to trust, who we are, and which name to check. */
export interface RedisTlsOptions {
  /** CA certificates (PEM) to trust instead of Node's default list. */
  ca?: string | Buffer;
  /** Client certificate (PEM), for nodes that require one (`tls-auth-clients yes`); needs `key`. */
  cert?: string | Buffer;
  /** Private key (PEM) of `cert`. Never logged. */
  key?: string | Buffer;
  /**
   * The name to check the node's certificate against (and to send as SNI) instead of the address
   * dialled: the sentinels hand out IP addresses, which certificates seldom name.
   */
  servername?: string;
  /** Check the node's certificate. Turn off for tests only. @default true */
  rejectUnauthorized?: boolean;
}

/** Sentinel mode: where the sentinels are and how to talk to them. */
export interface RedisSentinelOptions {
  /** At least three distinct sentinels. */
  sentinels: RedisNodeAddress[];
  /** Monitored master name. @default 'mymaster' */
  masterName?: string;
  /** ACL user for the sentinels (not for the data nodes). */
  username?: string;
  /** Password for the sentinels (not for the data nodes). */
  password?: string;
  /** TLS to the sentinels, apart from the data nodes. @default the data nodes' `tls` */
  tls?: boolean | RedisTlsOptions;
  /** Route reads to a replica (falling back to the primary). @default true */
  readFromReplicas?: boolean;
  /** How often the sentinels are asked for the master in case a `+switch-master` message was lost. @default 2000 */
  masterCheckIntervalMs?: number;
  /**
   * How long a write waits for the primary while it cannot be reached (a failover in progress)
   * before it fails or falls back to memory; 0 fails at once. A write that was not sent, or was
   * refused as `READONLY`, is sent again when the primary is back; one whose outcome is unknown only
   * when the operation is idempotent. @default 10000
   */
  writeHoldMs?: number;
  /**
   * Reads skip the replica when it lags the primary by more than this (estimated from replication
   * offsets every 500 ms), or when its link to the primary is down, and go to the primary
   * instead. @default 1000
   */
  replicaMaxLagMs?: number;
}

/** Cluster mode: where to start discovering the cluster, and where reads go. */
export interface RedisClusterOptions {
  /**
   * Seed nodes: at least three distinct ones. The client asks them for the slot map and then
   * talks to every node the cluster names (through `natMap` where it announces addresses this
   * application cannot reach).
   */
  nodes: RedisNodeAddress[];
  /**
   * Where cache reads go: `master` (every read sees every acknowledged write), `slave` (replicas;
   * a little stale), or `all`. Writes, sessions and revocations always go to the primaries.
   * @default 'master'
   */
  scaleReads?: 'master' | 'slave' | 'all';
  /**
   * How long a write to a shard whose primary cannot be reached waits for the cluster to promote
   * its replica before it fails or falls back to memory; 0 fails at once. As
   * `RedisSentinelOptions.writeHoldMs`. @default 10000
   */
  writeHoldMs?: number;
  /** How often the slot map is asked for (`CLUSTER SHARDS`), besides every `MOVED` reply. @default 2000 */
  topologyCheckIntervalMs?: number;
}

/** In-memory degradation while Redis is unreachable. */
export interface RedisFallbackOptions {
  /** Serve from memory instead of failing. @default true */
  enabled?: boolean;
  /**
   * Entries each part of the in-memory store holds (cache, sessions: bounded apart, so that one
   * cannot evict the other's entries); least recently used entries go first. @default 10000
   */
  maxEntries?: number;
  /** Bytes each part holds at most (keys and values, two bytes per character). @default 33554432 (32 MiB) */
  maxBytes?: number;
}

/** When the circuit around Redis opens and how it probes for recovery. */
export interface RedisCircuitOptions {
  /** Consecutive failures (errors or timeouts) that open the circuit. @default 3 */
  failureThreshold?: number;
  /** Pause between two write probes (`ROLE`, then a `SET` of a short-lived key) while open. @default 500 */
  probeIntervalMs?: number;
}

/** How the health indicator judges the connection. */
export interface RedisHealthOptions {
  /**
   * Report `down` (503) while the in-memory fallback serves, for teams that prefer to take such
   * pods out of rotation. @default false
   */
  strict?: boolean;
}

/** What the Prometheus metrics show. */
export interface RedisMetricsOptions {
  /**
   * Label replica and sentinel series with the node's `host:port`. When false, they are labelled
   * by position (`0`, `1`, …), so that a scrape does not reveal the group's addresses; the
   * addresses stay in `/health/redis`. @default true
   */
  nodeLabels?: boolean;
}

/**
 * What `RedisModule.forRoot` takes, and what the environment parser produces. Setting `sentinel`
 * selects Sentinel mode, setting `cluster` Cluster mode (not both); otherwise one standalone node
 * (`url`, or `host`/`port`) is used.
 */
export interface RedisModuleOptions {
  /** Sentinel mode. */
  sentinel?: RedisSentinelOptions;
  /** Cluster mode. */
  cluster?: RedisClusterOptions;
  /** Standalone target as `redis://` or `rediss://` URL; wins over `host`/`port`. */
  url?: string;
  /** Standalone host. @default 'localhost' */
  host?: string;
  /** Standalone port. @default 6379 */
  port?: number;
  /** ACL user on the data nodes. */
  username?: string;
  /** Password on the data nodes. */
  password?: string;
  /** Database index; a cluster has only 0. @default 0 */
  db?: number;
  /** TLS to the data nodes (and sentinels). @default false */
  tls?: boolean | RedisTlsOptions;
  /**
   * Where to connect instead of an address the sentinels or the cluster announce that this
   * application cannot reach (Docker, Kubernetes): keys are announced `host:port` pairs (IPv6
   * without brackets, as ioredis writes them), values the addresses to dial. Addresses not in the
   * map are dialled as announced. Only the data nodes the sentinels or the cluster name are mapped;
   * the configured sentinels and seed nodes are dialled as given. @default {}
   *
   * @example
   * natMap: { '10.0.0.5:6379': { host: '127.0.0.1', port: 16379 } }
   */
  natMap?: Record<string, RedisNodeAddress>;
  /**
   * The RESP version spoken to every node: 3 (ioredis' default), or 2 for proxies and older servers
   * that refuse `HELLO`. Replies look the same to the toolkit either way. @default 3
   */
  protocol?: 2 | 3;
  /** Prefix of every key the toolkit writes. @default 'app:' */
  keyPrefix?: string;
  /** Upper bound on any single Redis call, in milliseconds. @default 500 */
  commandTimeoutMs?: number;
  /** In-memory degradation. */
  fallback?: RedisFallbackOptions;
  /** Circuit breaker. */
  circuit?: RedisCircuitOptions;
  /** Health indicator. */
  health?: RedisHealthOptions;
  /** Prometheus metrics. */
  metrics?: RedisMetricsOptions;
}
