import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/test-support';

/**
 * Every name `@sentinel-kit/redis` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'Answer',
  'AnswerSource',
  'ClusterDescription',
  'ClusterReplicaNode',
  'ClusterShard',
  'ClusterShardNode',
  'ClusterShardStatus',
  'ClusterStatus',
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
  'RedisClusterOptions',
  'RedisClusterView',
  'RedisCommandRejectedError',
  'RedisConfigError',
  'RedisExecutor',
  'RedisFallbackOptions',
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
  'ResolvedClusterOptions',
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
  'resolveRedisEnv',
  'resolveRedisOptions',
];

/** The subpath entries, each for the apps that have the optional peer it needs, and `internal`. */
const SUBPATH_API = {
  health: ['RedisHealthIndicator', 'RedisHealthModule'],
  config: ['redisEnvConfig'],
  // What the sibling libraries share with `@sentinel-kit/redis`, and applications do not need.
  internal: [
    'FallbackStores',
    'MemoryStore',
    'RedisClient',
    'RedisConnections',
    'RedisScript',
    'ReplicatedReply',
    'ReplicatedScripts',
    'SLOT_TAG_LENGTH',
    'envBoolean',
    'envInteger',
    'failsOver',
  ],
};

describe('@sentinel-kit/redis', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });

  it.each(Object.entries(SUBPATH_API))('exports exactly its API from @sentinel-kit/redis/%s', (subpath, names) => {
    expect(exportedNames(join(__dirname, `${subpath}-entry.ts`))).toEqual(names);
  });
});
