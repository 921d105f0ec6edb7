import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/testing';

/**
 * Every name `@sentinel-kit/redis` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'Answer',
  'AnswerSource',
  'CommandClass',
  'CommandRole',
  'ConfigIssueNaming',
  'FailoverRecord',
  'FailoverReport',
  'FailoverSnapshot',
  'KeyNamespace',
  'LogFields',
  'PrimaryView',
  'PubSubEvent',
  'PubSubInterrupted',
  'PubSubMessage',
  'PubSubMissed',
  'PubSubResumed',
  'PublishReceipt',
  'QuorumCheck',
  'REDIS_ENV_VARIABLES',
  'REDIS_READ_CLIENT',
  'REDIS_RESOLVED_OPTIONS',
  'REDIS_WRITE_CLIENT',
  'RedisCacheService',
  'RedisCircuitOptions',
  'RedisClusterInspector',
  'RedisClusterView',
  'RedisCommandRejectedError',
  'RedisConfigError',
  'RedisExecutor',
  'RedisFallbackOptions',
  'RedisHealthIndicator',
  'RedisHealthModule',
  'RedisKeyspace',
  'RedisMetrics',
  'RedisMetricsOptions',
  'RedisMetricsSnapshot',
  'RedisModule',
  'RedisModuleError',
  'RedisModuleOptions',
  'RedisNodeAddress',
  'RedisOutcomeUnknownError',
  'RedisPermissionError',
  'RedisPubSubService',
  'RedisScanInterruptedError',
  'RedisSentinelOptions',
  'RedisStatus',
  'RedisStatusService',
  'RedisSwitchoverService',
  'RedisUnavailableError',
  'ReplicaReadStatus',
  'ReplicaView',
  'ResilientOperation',
  'ResolvedRedisOptions',
  'ResolvedSentinelOptions',
  'ResolvedStandaloneOptions',
  'SentinelEvent',
  'SentinelEventChannel',
  'SentinelStatus',
  'SentinelView',
  'SwitchoverRefusalReason',
  'SwitchoverRefusedError',
  'SwitchoverRequest',
  'SwitchoverResult',
  'SwitchoverTimings',
  'VALUE_IN_MESSAGE',
  'counterReadAtScrape',
  'formatConfigIssues',
  'isAvailabilityFailure',
  'logEvent',
  'parseRedisEnv',
  'parseSentinelEntry',
  'presentEnv',
  'redisEnvConfig',
  'resolveRedisEnv',
  'resolveRedisOptions',
];

/** What the sibling libraries share through `@sentinel-kit/redis/internal`, and applications do not need. */
const INTERNAL_API = ['MemoryStore', 'RedisConnections', 'RedisScript', 'envBoolean', 'envInteger', 'failsOver'];

describe('@sentinel-kit/redis', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });

  it('shares exactly its internal API with the sibling libraries', () => {
    expect(exportedNames(join(__dirname, 'internal.ts'))).toEqual(INTERNAL_API);
  });
});
