/**
 * `@sentinel-kit/session/express-session`: a store for `express-session` on top of the session
 * repository. A subpath of its own so that only apps that import it need `express-session` (an
 * optional peer dependency).
 */
export { RedisSessionStore } from './express/redis-session.store';
