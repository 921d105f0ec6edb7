import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { SessionModule, type SessionModuleOptions } from '@sentinel-kit/session';
import { sessionEnvConfig } from '@sentinel-kit/session/config';
import { SessionsController } from './sessions.controller';

/** `/sessions`, on `SessionModule` configured from `SESSION_*`; exports it for the admin views. */
@Module({
  imports: [
    SessionModule.forRootAsync({
      inject: [sessionEnvConfig.KEY],
      useFactory: (options: SessionModuleOptions) => options,
    }),
  ],
  controllers: [SessionsController],
  exports: [SessionModule],
})
export class SessionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser()).forRoutes(SessionsController);
  }
}
