/**
 * `@sentinel-kit/test-support`: what this repository's own suites, chaos runs and bench share on top
 * of `@sentinel-kit/testing`. Never published.
 */
export { configIssues } from './config-issues';
export { exportedNames } from './exported-names';
export { lockGrantConflicts, type LockGrant, type LockGrantConflicts } from './lock-grants';
export { runtimeImports } from './runtime-imports';
export { SseClient, type ReceivedEvent } from './sse-client';
export { reportMeasure } from './report';
export { timed } from './timed';
export {
  CHAOS_SCENARIOS,
  CLUSTER_CHAOS_SCENARIOS,
  clusterDeployment,
  longestOutage,
  runChaosScenario,
  sentinelDeployment,
  startWrites,
  type ChaosContext,
  type ChaosDeployment,
  type ClusterChaosContext,
  type SentinelChaosContext,
  type ChaosRunOptions,
  type ChaosRunResult,
  type ChaosScenario,
  type ChaosTarget,
  type ChaosWorkload,
  type OperationOutcome,
  type RecordedOperation,
  type WorkloadTarget,
} from './chaos';
