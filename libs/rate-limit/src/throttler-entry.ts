/**
 * `@sentinel-kit/rate-limit/throttler`: a `ThrottlerStorage` for `@nestjs/throttler` on the same
 * resilient Redis layer. A subpath of its own so that only apps that import it need
 * `@nestjs/throttler` (an optional peer dependency).
 */
export { RedisThrottlerStorage } from './throttler/redis-throttler-storage';
