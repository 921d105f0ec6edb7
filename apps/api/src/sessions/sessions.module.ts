import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { SessionModule, sessionEnvConfig, type ResolvedSessionOptions } from '@sentinel-kit/session';
import { SessionsController, UserSessionsController } from './sessions.controller';

/** `/sessions` and `/users/:userId/sessions`, on `SessionModule` configured from `SESSION_*`. */
@Module({
  imports: [
    SessionModule.forRootAsync({
      inject: [sessionEnvConfig.KEY],
      useFactory: (options: ResolvedSessionOptions) => options,
    }),
  ],
  controllers: [SessionsController, UserSessionsController],
})
export class SessionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser()).forRoutes(SessionsController);
  }
}
