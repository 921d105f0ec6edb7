export { CapturedLogger } from './captured-logger';
export { configIssues } from './config-issues';
export { findFreePort } from './free-port';
export { sendCommand, type RedisEndpoint } from './redis-command';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export { SENTINEL_GROUP_PROFILE, sentinelGroupTimings, type SentinelGroupTimings } from './sentinel-group.profile';
export { SentinelTopology, type SentinelTopologyOptions } from './sentinel-topology';
export { reportMeasure } from './report';
export { startStandaloneRedis } from './standalone-redis';
export { TcpProxy } from './tcp-proxy';
export {
  createTestCertificates,
  tlsConfigLines,
  type CertificatePair,
  type TestCertificates,
} from './test-certificates';
export { timed } from './timed';
export { waitFor, type WaitForOptions } from './wait-for';
export { exportedNames } from './exported-names';
export {
  CHAOS_SCENARIOS,
  longestOutage,
  runChaosScenario,
  startWrites,
  type ChaosContext,
  type ChaosRunOptions,
  type ChaosRunResult,
  type ChaosScenario,
  type ChaosTarget,
  type ChaosWorkload,
  type OperationOutcome,
  type RecordedOperation,
  type WorkloadTarget,
} from './chaos';
