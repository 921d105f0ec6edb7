import type { ClusterTopology, SentinelTopology } from '@sentinel-kit/testing';
import type { WorkloadTarget } from './write-workload';

/** How one operation ended: applied, definitely not applied, or nobody knows (a timeout). */
export type OperationOutcome = 'ok' | 'failed' | 'unknown';

/** One write of the workload. */
export interface RecordedOperation {
  key: string;
  start: number;
  end: number;
  outcome: OperationOutcome;
}

/** What a run asks of the deployment under test (a Sentinel group or a cluster), whatever its shape. */
export interface ChaosDeployment {
  /** Waits until every process runs and the deployment agrees on its primaries. */
  waitUntilSettled(): Promise<void>;
  /** Waits until every replica has what its primary had when the wait began. */
  replicasCaughtUp(): Promise<void>;
  /** Which of `keys` exist on the primaries; then deletes them, so that runs do not pile up data. */
  takePresentKeys(keys: readonly string[]): Promise<Set<string>>;
  /** The primaries now, as text: a run compares them before and after to tell whether one changed. */
  primaries(): Promise<string>;
}

/** What a scenario may use besides the processes: the application under test. */
export interface ChaosContext<Topology = SentinelTopology> {
  topology: Topology;
  deployment: ChaosDeployment;
  /** A planned switchover through the application (of one shard, in Cluster mode). */
  switchover(shard?: string): Promise<unknown>;
}

/** The context of the Sentinel scenarios. */
export interface SentinelChaosContext extends ChaosContext<SentinelTopology> {
  /** Whether the application reports the Sentinel quorum as lost right now. */
  quorumLost(): Promise<boolean>;
  /** Sentinel's down-after-milliseconds of the group. */
  downAfterMs: number;
}

/** The context of the cluster scenarios. */
export type ClusterChaosContext = ChaosContext<ClusterTopology>;

/**
 * What the writers write: cache keys (`RedisCacheService.set`), logins (`SessionService.create`), or
 * cache keys each under a lock of a few shared names (`RedisLockService`).
 */
export type ChaosWorkload = 'cache' | 'sessions' | 'locks';

/** A workload whose writes can be looked up afterwards. */
export interface ChaosTarget extends WorkloadTarget {
  /** The Redis key (prefix included) that exists once the write of workload key `key` was applied. */
  storedKey(key: string): string;
  /** Checks of the target's own since the last call (e.g. no lock held twice at once), each of which must hold. */
  verdict?(): Record<string, boolean>;
}

/** A fault, injected and healed; `inject` returns once the group should be whole again. */
export interface ChaosScenario<Context = SentinelChaosContext> {
  name: string;
  /** One sentence for the table. */
  summary: string;
  /** What is written through the fault. @default 'cache' */
  workload?: ChaosWorkload;
  /** Whether the fault must cause a failover (`true`), must not (`false`). */
  failover: boolean;
  /** Injects the fault and heals it; resolves to observations worth reporting (e.g. quorum reported lost). */
  inject(context: Context): Promise<Record<string, boolean | number>>;
}

/** The verdict of one run of one scenario. */
export interface ChaosRunResult {
  scenario: string;
  run: number;
  /** Writes the application acknowledged. */
  acknowledged: number;
  /** Acknowledged, and absent from the primary at the end: the loss that must be 0. */
  lost: number;
  /** Reported as definitely failed, yet present at the end: a lie that must be 0. */
  failedButPresent: number;
  /** Definite failures. */
  failed: number;
  /** Outcome unknown (they may or may not be present; both are correct). */
  unknown: number;
  /** Longest time without an acknowledged write, in ms. */
  outageMs: number;
  /** Whether the primary changed, as the scenario expects. */
  failedOver: boolean;
  /** What the scenario observed (e.g. `quorumLostReported`). */
  observations: Record<string, boolean | number>;
}
