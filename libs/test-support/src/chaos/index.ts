export type {
  ChaosContext,
  ChaosDeployment,
  ClusterChaosContext,
  SentinelChaosContext,
  ChaosRunResult,
  ChaosScenario,
  ChaosTarget,
  ChaosWorkload,
  OperationOutcome,
  RecordedOperation,
} from './chaos.interfaces';
export { CHAOS_SCENARIOS } from './chaos-scenarios';
export { CLUSTER_CHAOS_SCENARIOS } from './cluster-chaos-scenarios';
export { clusterDeployment } from './cluster-deployment';
export { sentinelDeployment } from './sentinel-deployment';
export { runChaosScenario, type ChaosRunOptions } from './run-chaos-scenario';
export { longestOutage, startWrites, type WorkloadTarget } from './write-workload';
