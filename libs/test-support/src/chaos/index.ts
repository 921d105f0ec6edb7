export type {
  ChaosContext,
  ChaosRunResult,
  ChaosScenario,
  ChaosTarget,
  ChaosWorkload,
  OperationOutcome,
  RecordedOperation,
} from './chaos.interfaces';
export { CHAOS_SCENARIOS } from './chaos-scenarios';
export { runChaosScenario, type ChaosRunOptions } from './run-chaos-scenario';
export { longestOutage, startWrites, type WorkloadTarget } from './write-workload';
