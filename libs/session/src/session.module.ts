import { Module } from '@nestjs/common';
import { REDIS_RESOLVED_OPTIONS, type ResolvedRedisOptions } from '@sentinel-kit/redis';
import { isResolvedSessionOptions, resolveSessionOptions } from './options/resolve-session-options';
import type { ResolvedSessionOptions, SessionModuleOptions } from './options/session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { SessionConfigurableModule, SESSION_MODULE_OPTIONS } from './session.module-definition';
import { SessionService } from './session.service';
import { SessionMetrics } from './session.metrics';
import { DurableWriter } from './repository/durable-writer';
import { SessionRepository } from './repository/session.repository';
import { TokenRevocationService } from './token-revocation.service';

/**
 * Sessions and token revocation on the global `RedisModule` (import that first).
 *
 * @example
 * SessionModule.forRootAsync({ inject: [sessionEnvConfig.KEY], useFactory: (options: SessionModuleOptions) => options })
 */
@Module({
  providers: [
    {
      provide: SESSION_RESOLVED_OPTIONS,
      inject: [SESSION_MODULE_OPTIONS, REDIS_RESOLVED_OPTIONS],
      useFactory: (options: SessionModuleOptions | ResolvedSessionOptions, redis: ResolvedRedisOptions) =>
        isResolvedSessionOptions(options) ? options : resolveSessionOptions(options, redis),
    },
    DurableWriter,
    SessionMetrics,
    SessionRepository,
    SessionService,
    TokenRevocationService,
  ],
  // DurableWriter for RedisSessionStore (`@sentinel-kit/session/express-session`), which the app
  // provides next to this module when it uses express-session.
  exports: [SESSION_RESOLVED_OPTIONS, SessionService, TokenRevocationService, DurableWriter],
})
export class SessionModule extends SessionConfigurableModule {}
