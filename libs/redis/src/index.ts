export { RedisCacheService } from './cache/redis-cache.service';
export { RedisCachedLoader, type CachedLoadOptions } from './cache/cached-loader';
export { Cacheable, CacheEvict, type CacheableOptions, type CacheEvictOptions } from './cache/cacheable.decorator';
export {
  RedisMetrics,
  type CommandClass,
  type CommandRole,
  type RedisMetricsInterval,
  type RedisMetricsMark,
  type RedisMetricsSnapshot,
} from './metrics/redis-metrics';
export type { ReplicaReadStatus } from './client/replica-read.gate';
export { RedisCommandRejectedError } from './errors/redis-command-rejected.error';
export { RedisConfigError } from './errors/redis-config.error';
export { RedisModuleError } from './errors/redis-module.error';
export { RedisOutcomeUnknownError } from './errors/redis-outcome-unknown.error';
export { RedisPermissionError } from './errors/redis-permission.error';
export { RedisScanInterruptedError } from './errors/redis-scan-interrupted.error';
export { RedisUnavailableError } from './errors/redis-unavailable.error';
export type {
  FailoverRecord,
  FailoverSnapshot,
  SentinelEvent,
  SentinelEventChannel,
} from './failover/failover.interfaces';
export { RedisExecutor, isAvailabilityFailure } from './executor/redis-executor';
export type { Answer, AnswerSource, ResilientOperation } from './executor/resilient-operation';
export {
  RedisStatusService,
  type ClusterShardStatus,
  type ClusterStatus,
  type FailoverReport,
  type RedisStatus,
  type SentinelStatus,
} from './health/redis-status.service';
export { formatConfigIssues, VALUE_IN_MESSAGE, type ConfigIssueNaming } from './options/config-issue.formatter';
export { presentEnv } from './options/env-parsers';
export { parseRedisEnv, resolveRedisEnv } from './options/redis-env';
export { REDIS_ENV_VARIABLES } from './options/redis-env.schema';
export { parseSentinelEntry } from './options/sentinel-address.parser';
export type {
  RedisCircuitOptions,
  RedisFallbackOptions,
  RedisMetricsOptions,
  RedisModuleOptions,
  RedisNodeAddress,
  RedisClusterOptions,
  RedisSentinelOptions,
} from './options/redis-module-options.interface';
export { resolveRedisOptions } from './options/resolve-redis-options';
export type {
  ResolvedClusterOptions,
  ResolvedRedisOptions,
  ResolvedSentinelOptions,
  ResolvedStandaloneOptions,
} from './options/resolved-redis-options.interface';
export { REDIS_READ_CLIENT, REDIS_RESOLVED_OPTIONS, REDIS_WRITE_CLIENT } from './redis.constants';
export { RedisKeyspace, type KeyNamespace } from './keyspace/redis-keyspace';
export { RedisModule } from './redis.module';
export { counterReadAtScrape } from './metrics/scraped-metrics';
export { RedisClusterInspector } from './health/redis-cluster.inspector';
export type { RedisClusterView } from './health/redis-cluster.view';
export type {
  ClusterDescription,
  PrimaryView,
  QuorumCheck,
  ReplicaView,
  SentinelView,
} from './client/topology/topology-views';
export type { ClusterReplicaNode, ClusterShard, ClusterShardNode } from './client/topology/cluster-shards';
export { SwitchoverRefusedError, type SwitchoverRefusalReason } from './errors/switchover-refused.error';
export type { SwitchoverResult, SwitchoverTimings } from './client/topology/planned-switchover';
export { RedisSwitchoverService, type SwitchoverRequest } from './switchover/redis-switchover.service';
export { logEvent, type LogFields } from './common/log-event';
export { BearerToken } from './common/bearer-token';
export { EventStream, formatSseEvent } from './sse/event-stream';
export { EventStreamLimits, refuseStream, type StreamRefusal } from './sse/event-stream.limits';
export { RedisPubSubService } from './pubsub/redis-pubsub.service';
export type {
  PubSubEvent,
  PubSubInterrupted,
  PubSubMessage,
  PubSubMissed,
  PubSubResumed,
  PublishReceipt,
} from './pubsub/pubsub.interfaces';
