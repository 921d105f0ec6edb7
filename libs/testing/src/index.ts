export { CapturedLogger } from './captured-logger';
export { findFreePort } from './free-port';
export { sendCommand, type RedisEndpoint } from './redis-command';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export { SENTINEL_GROUP_PROFILE, sentinelGroupTimings, type SentinelGroupTimings } from './sentinel-group.profile';
export { SentinelTopology, type SentinelTopologyOptions } from './sentinel-topology';
export { startStandaloneRedis } from './standalone-redis';
export { TcpProxy } from './tcp-proxy';
export {
  createTestCertificates,
  tlsConfigLines,
  type CertificatePair,
  type TestCertificates,
} from './test-certificates';
export { waitFor, type WaitForOptions } from './wait-for';
export { InMemoryRedisExecutor } from './testing-module/in-memory-redis.executor';
export { RedisTestingModule, type RedisTestingModuleOptions } from './testing-module/redis-testing.module';
export { ClusterTopology, type ClusterShardView, type ClusterTopologyOptions } from './cluster-topology';
