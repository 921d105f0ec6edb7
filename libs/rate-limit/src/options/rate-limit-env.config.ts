import { registerAs } from '@nestjs/config';
import { resolveRateLimitEnv } from './rate-limit-env';

/**
 * `@nestjs/config` namespace `rateLimit`: the `RATE_LIMIT_*` variables, validated at startup.
 *
 * @example
 * RateLimitModule.forRootAsync({ inject: [rateLimitEnvConfig.KEY], useFactory: (options: ResolvedRateLimitOptions) => options })
 */
export const rateLimitEnvConfig = registerAs('rateLimit', () => resolveRateLimitEnv(process.env));
