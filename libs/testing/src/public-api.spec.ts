import { join } from 'node:path';
import { exportedNames } from './exported-names';

/**
 * Every name `@sentinel-kit/testing` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'CHAOS_SCENARIOS',
  'CapturedLogger',
  'CertificatePair',
  'ChaosContext',
  'ChaosRunOptions',
  'ChaosRunResult',
  'ChaosScenario',
  'ChaosTarget',
  'ChaosWorkload',
  'OperationOutcome',
  'RecordedOperation',
  'RedisEndpoint',
  'RedisServerProcess',
  'RedisServerProcessOptions',
  'SENTINEL_GROUP_PROFILE',
  'SentinelGroupTimings',
  'SentinelTopology',
  'SentinelTopologyOptions',
  'TcpProxy',
  'TestCertificates',
  'WaitForOptions',
  'WorkloadTarget',
  'configIssues',
  'createTestCertificates',
  'exportedNames',
  'findFreePort',
  'longestOutage',
  'reportMeasure',
  'runChaosScenario',
  'sendCommand',
  'sentinelGroupTimings',
  'startStandaloneRedis',
  'startWrites',
  'timed',
  'tlsConfigLines',
  'waitFor',
];

describe('@sentinel-kit/testing', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });
});
