/**
 * `@sentinel-kit/session/config`: the `SESSION_*` variables as an `@nestjs/config` namespace. A subpath of
 * its own so that only apps that import it need `@nestjs/config` (an optional peer dependency).
 */
export { sessionEnvConfig } from './options/session-env.config';
