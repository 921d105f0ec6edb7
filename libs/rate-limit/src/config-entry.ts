/**
 * `@sentinel-kit/rate-limit/config`: the `RATE_LIMIT_*` variables as an `@nestjs/config` namespace. A
 * subpath of its own so that only apps that import it need `@nestjs/config` (an optional peer
 * dependency).
 */
export { rateLimitEnvConfig } from './options/rate-limit-env.config';
