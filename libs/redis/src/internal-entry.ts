/**
 * `@sentinel-kit/redis/internal`: what the sibling libraries (`@sentinel-kit/session`,
 * `@sentinel-kit/rate-limit`, `@sentinel-kit/testing`) and this repository's bench share with
 * `@sentinel-kit/redis`, and applications do not need. No stability promise: it changes with the
 * libraries, which are released together.
 */
export { RedisConnections } from './client/redis-connections';
export type { RedisClient } from './client/redis-client';
export { RedisScript } from './client/redis-script';
export { ReplicatedScripts, type ReplicatedReply } from './client/replicated-scripts';
export { FallbackStores } from './fallback/fallback-stores';
export { MemoryStore } from './fallback/memory-store';
export { SLOT_TAG_LENGTH } from './keyspace/redis-keyspace';
export { envBoolean, envInteger } from './options/env-parsers';
export { failsOver } from './options/fails-over';
