import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';

/**
 * A client of the data nodes: one ioredis connection (standalone, Sentinel), or an ioredis
 * `Cluster` that routes each command to the shard of its keys. Both take the same commands; only
 * `client/` creates them.
 */
export type RedisClient = Redis | Cluster;
