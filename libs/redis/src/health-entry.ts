/**
 * `@sentinel-kit/redis/health`: the Terminus health indicator. A subpath of its own so that only apps
 * that import it need `@nestjs/terminus` (an optional peer dependency, version 12: it runs in NestJS 11
 * and 12 apps alike).
 */
export { RedisHealthIndicator } from './health/redis-health.indicator';
export { RedisHealthModule } from './health/redis-health.module';
