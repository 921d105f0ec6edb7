import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/test-support';

/**
 * Every name `@sentinel-kit/testing` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'CapturedLogger',
  'CertificatePair',
  'ClusterShardView',
  'ClusterTopology',
  'ClusterTopologyOptions',
  'InMemoryRedisExecutor',
  'RedisEndpoint',
  'RedisServerProcess',
  'RedisServerProcessOptions',
  'RedisTestingModule',
  'RedisTestingModuleOptions',
  'SENTINEL_GROUP_PROFILE',
  'SentinelGroupTimings',
  'SentinelTopology',
  'SentinelTopologyOptions',
  'TcpProxy',
  'TestCertificates',
  'WaitForOptions',
  'createTestCertificates',
  'findFreePort',
  'sendCommand',
  'sentinelGroupTimings',
  'startStandaloneRedis',
  'tlsConfigLines',
  'waitFor',
];

describe('@sentinel-kit/testing', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });
});
