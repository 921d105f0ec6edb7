/**
 * `@sentinel-kit/redis/idempotency`: idempotency keys for HTTP routes (`@Idempotent`), confirmed by a
 * replica, so that a retry never runs a request twice, whichever instance it reaches. A module an app
 * imports next to the global `RedisModule` (Express).
 */
export { IdempotencyModule } from './idempotency/idempotency.module';
export { Idempotent } from './idempotency/idempotent.decorator';
export type { IdempotentOptions } from './idempotency/idempotent-route';
export type { IdempotencyModuleOptions } from './idempotency/idempotency-options';
export { RedisIdempotencyNotReplicatedError } from './errors/redis-idempotency-not-replicated.error';
