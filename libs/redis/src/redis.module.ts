import { Global, Module } from '@nestjs/common';
import { RedisCacheService } from './cache/redis-cache.service';
import { RedisCachedLoader } from './cache/cached-loader';
import { RedisMetrics } from './metrics/redis-metrics';
import { RedisConnections } from './client/redis-connections';
import { ReplicaReadGate } from './client/replica-read.gate';
import { createRedisTopology } from './client/topology/create-redis-topology';
import { RedisTopology } from './client/topology/redis-topology';
import { FailoverTracker } from './failover/failover.tracker';
import { RedisEventLog } from './failover/redis-event.log';
import { FailoverMonitor } from './failover/failover.monitor';
import { FallbackStores } from './fallback/fallback-stores';
import { RedisKeyspace } from './keyspace/redis-keyspace';
import { RedisClusterInspector } from './health/redis-cluster.inspector';
import { RedisConfigAdvisor } from './health/redis-config.advisor';
import { RedisStateMetrics } from './health/redis-state.metrics';
import { RedisPubSubService } from './pubsub/redis-pubsub.service';
import { RedisSwitchoverService } from './switchover/redis-switchover.service';
import { RedisExecutor } from './executor/redis-executor';
import { RedisTracing } from './tracing/redis-tracing';
import { RedisStatusService } from './health/redis-status.service';
import { isResolvedRedisOptions, resolveRedisOptions } from './options/resolve-redis-options';
import type { RedisModuleOptions } from './options/redis-module-options.interface';
import type { ResolvedRedisOptions } from './options/resolved-redis-options.interface';
import { RedisConfigurableModule, REDIS_MODULE_OPTIONS } from './redis.module-definition';
import { REDIS_READ_CLIENT, REDIS_RESOLVED_OPTIONS, REDIS_WRITE_CLIENT } from './redis.constants';

/**
 * The global Redis module: connections (standalone or Sentinel), failover tracking, the resilient
 * cache with its in-memory fallback, and status. Import it once.
 *
 * @example
 * RedisModule.forRootAsync({ inject: [redisEnvConfig.KEY], useFactory: (options) => options })
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_RESOLVED_OPTIONS,
      inject: [REDIS_MODULE_OPTIONS],
      useFactory: (options: RedisModuleOptions | ResolvedRedisOptions): ResolvedRedisOptions =>
        isResolvedRedisOptions(options) ? options : resolveRedisOptions(options),
    },
    {
      provide: RedisConnections,
      inject: [REDIS_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedRedisOptions) => new RedisConnections(options),
    },
    RedisKeyspace,
    { provide: REDIS_WRITE_CLIENT, inject: [RedisConnections], useFactory: (c: RedisConnections) => c.write },
    { provide: REDIS_READ_CLIENT, inject: [RedisConnections], useFactory: (c: RedisConnections) => c.read },
    { provide: RedisTopology, inject: [REDIS_RESOLVED_OPTIONS, RedisConnections], useFactory: createRedisTopology },
    {
      provide: FailoverTracker,
      inject: [RedisTopology],
      useFactory: (topology: RedisTopology) => new FailoverTracker(topology.groupName),
    },
    FailoverMonitor,
    ReplicaReadGate,
    {
      provide: FallbackStores,
      inject: [REDIS_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedRedisOptions) =>
        new FallbackStores(options.fallback.maxEntries, options.fallback.maxBytes),
    },
    { provide: RedisMetrics, useFactory: () => new RedisMetrics() },
    RedisTracing,
    RedisExecutor,
    RedisCacheService,
    RedisCachedLoader,
    RedisStatusService,
    RedisStateMetrics,
    RedisClusterInspector,
    RedisSwitchoverService,
    RedisConfigAdvisor,
    RedisEventLog,
    RedisPubSubService,
  ],
  exports: [
    REDIS_RESOLVED_OPTIONS,
    RedisKeyspace,
    REDIS_WRITE_CLIENT,
    REDIS_READ_CLIENT,
    RedisConnections,
    RedisExecutor,
    RedisCacheService,
    RedisCachedLoader,
    RedisStatusService,
    RedisMetrics,
    RedisClusterInspector,
    RedisSwitchoverService,
    RedisPubSubService,
  ],
})
export class RedisModule extends RedisConfigurableModule {}
