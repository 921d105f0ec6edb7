import type { SentinelTopology } from '@sentinel-kit/testing';
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

/** What a scenario may use besides the processes: the application under test. */
export interface ChaosContext {
  topology: SentinelTopology;
  /** A planned switchover through the application. */
  switchover(): Promise<unknown>;
  /** Whether the application reports the Sentinel quorum as lost right now. */
  quorumLost(): Promise<boolean>;
  /** Sentinel's down-after-milliseconds of the group. */
  downAfterMs: number;
}

/** What the writers write: cache keys (`RedisCacheService.set`), or logins (`SessionService.create`). */
export type ChaosWorkload = 'cache' | 'sessions';

/** A workload whose writes can be looked up afterwards. */
export interface ChaosTarget extends WorkloadTarget {
  /** The Redis key (prefix included) that exists once the write of workload key `key` was applied. */
  storedKey(key: string): string;
}

/** A fault, injected and healed; `inject` returns once the group should be whole again. */
export interface ChaosScenario {
  name: string;
  /** One sentence for the table. */
  summary: string;
  /** What is written through the fault. @default 'cache' */
  workload?: ChaosWorkload;
  /** Whether the fault must cause a failover (`true`), must not (`false`). */
  failover: boolean;
  /** Injects the fault and heals it; resolves to observations worth reporting (e.g. quorum reported lost). */
  inject(context: ChaosContext): Promise<Record<string, boolean | number>>;
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
