import { registerAs } from '@nestjs/config';
import { resolveRedisEnv } from './redis-env';

/**
 * `@nestjs/config` namespace `redis`: the `REDIS_*` variables, validated when the app starts
 * (an invalid value stops startup with a message naming the variable, never a secret).
 *
 * @example
 * ConfigModule.forRoot({ load: [redisEnvConfig] }),
 * RedisModule.forRootAsync({ inject: [redisEnvConfig.KEY], useFactory: (options: ResolvedRedisOptions) => options }),
 */
export const redisEnvConfig = registerAs('redis', () => resolveRedisEnv(process.env));
