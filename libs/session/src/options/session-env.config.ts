import { registerAs } from '@nestjs/config';
import { parseSessionEnv } from './session-env';

/**
 * `@nestjs/config` namespace `session`: the `SESSION_*` variables ({@link parseSessionEnv}), checked
 * for form at startup and against the Redis options by `SessionModule`.
 *
 * @example
 * SessionModule.forRootAsync({ inject: [sessionEnvConfig.KEY], useFactory: (options: SessionModuleOptions) => options })
 */
export const sessionEnvConfig = registerAs('session', () => parseSessionEnv(process.env));
