import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisModule, RedisStatusService, type RedisModuleOptions } from '@sentinel-kit/redis';
import {
  SessionModule,
  SessionService,
  TokenRevocationService,
  type SessionModuleOptions,
} from '@sentinel-kit/session';
import { RedisSessionStore } from '@sentinel-kit/session/express-session';
import { CapturedLogger } from '@sentinel-kit/testing';

/** A running RedisModule + SessionModule and the services tests use. */
export interface SessionTestApp {
  app: INestApplicationContext;
  sessions: SessionService;
  revocations: TokenRevocationService;
  status: RedisStatusService;
  logs: CapturedLogger;
}

/**
 * Compiles and initialises both modules with a capturing logger, and `RedisSessionStore` next to them,
 * as an app that uses express-session provides it.
 */
export async function startSessionApp(
  redis: RedisModuleOptions,
  session: SessionModuleOptions = {},
): Promise<SessionTestApp> {
  const logs = new CapturedLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot(redis), SessionModule.forRoot(session)],
    providers: [RedisSessionStore],
  })
    .setLogger(logs)
    .compile();
  const app = await moduleRef.init();
  return {
    app,
    sessions: app.get(SessionService),
    revocations: app.get(TokenRevocationService),
    status: app.get(RedisStatusService),
    logs,
  };
}
