/**
 * `@sentinel-kit/redis/locks`: distributed locks with fencing tokens, confirmed by a replica before
 * they are granted. A module an app imports next to the global `RedisModule`.
 */
export { RedisLockModule } from './locks/redis-lock.module';
export { RedisLockService, type AcquireOptions } from './locks/redis-lock.service';
export { RedisLock } from './locks/redis-lock';
export { WithLock } from './locks/with-lock.decorator';
export type { RedisLockModuleOptions } from './locks/lock-options';
export { RedisLockBusyError } from './errors/redis-lock-busy.error';
export { RedisLockLostError } from './errors/redis-lock-lost.error';
export { RedisLockNotReplicatedError } from './errors/redis-lock-not-replicated.error';
