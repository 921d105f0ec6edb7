import type { RedisNodeAddress } from './redis-module-options.interface';

/** TLS settings, PEM as text; null where TLS is off. */
export interface ResolvedTlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly servername?: string;
  readonly rejectUnauthorized: boolean;
}

/** Options shared by every mode, every default applied. */
interface ResolvedCommonOptions {
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  /** TLS to the data nodes; null when off. */
  readonly tls: ResolvedTlsOptions | null;
  readonly protocol: 2 | 3;
  /** Announced `host:port` → the address to dial (see `RedisModuleOptions.natMap`); empty when none. */
  readonly natMap: Readonly<Record<string, RedisNodeAddress>>;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly fallback: { readonly enabled: boolean; readonly maxEntries: number; readonly maxBytes: number };
  readonly circuit: { readonly failureThreshold: number; readonly probeIntervalMs: number };
  readonly health: { readonly strict: boolean };
  readonly metrics: { readonly nodeLabels: boolean };
}

/** One standalone node serves reads and writes. */
export interface ResolvedStandaloneOptions extends ResolvedCommonOptions {
  readonly mode: 'standalone';
  readonly node: RedisNodeAddress;
}

/** A Sentinel-managed group. */
export interface ResolvedSentinelOptions extends ResolvedCommonOptions {
  readonly mode: 'sentinel';
  readonly sentinel: {
    readonly sentinels: readonly RedisNodeAddress[];
    readonly masterName: string;
    readonly username?: string;
    readonly password?: string;
    /** TLS to the sentinels; null when off. */
    readonly tls: ResolvedTlsOptions | null;
    readonly readFromReplicas: boolean;
    readonly masterCheckIntervalMs: number;
    readonly writeHoldMs: number;
    readonly replicaMaxLagMs: number;
  };
}

/** A Redis Cluster. */
export interface ResolvedClusterOptions extends ResolvedCommonOptions {
  readonly mode: 'cluster';
  readonly cluster: {
    readonly nodes: readonly RedisNodeAddress[];
    readonly scaleReads: 'master' | 'slave' | 'all';
    readonly writeHoldMs: number;
    readonly topologyCheckIntervalMs: number;
  };
}

/** Validated, frozen options that every provider injects. */
export type ResolvedRedisOptions = ResolvedStandaloneOptions | ResolvedSentinelOptions | ResolvedClusterOptions;
