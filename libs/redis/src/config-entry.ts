/**
 * `@sentinel-kit/redis/config`: the `REDIS_*` variables as an `@nestjs/config` namespace. A subpath of its
 * own so that only apps that import it need `@nestjs/config` (an optional peer dependency);
 * `resolveRedisEnv(process.env)` from the main entry does the same without it.
 */
export { redisEnvConfig } from './options/redis-env.config';
