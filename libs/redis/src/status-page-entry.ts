/**
 * `@sentinel-kit/redis/status-page`: the live status page (`GET /status`), a module an app imports
 * next to the global `RedisModule`. A subpath of its own so that apps without it load none of it.
 */
export { RedisStatusPageModule } from './status-page/status-page.module';
export type { RedisStatusPageOptions } from './status-page/status-page.options';
export type { StatusPageRoute } from './status-page/status-page.module-definition';
export type { StatusFrame } from './status-page/status-feed';
export type { CircuitView, StatusSample } from './status-page/status-sampler';
