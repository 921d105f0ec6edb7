import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/configure-app';

/** Variables a test may set; all are cleared before each start so tests do not leak into each other. */
const MANAGED_ENV = [
  'REDIS_SENTINEL_ENABLED',
  'REDIS_SENTINELS',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_FALLBACK_ENABLED',
  'REDIS_COMMAND_TIMEOUT_MS',
  'SESSION_MAX_BYTES',
  'SESSION_FALLBACK',
  'REDIS_REPLICA_MAX_LAG_MS',
  'RATE_LIMIT_ON_REDIS_FAILURE',
  'RATE_LIMIT_FAIL_OPEN',
  'DEMO_RATE_LIMIT',
  'LOGIN_RATE_LIMIT',
  'EVENTS_RATE_LIMIT',
  'SHUTDOWN_GRACE_MS',
  'REDIS_KEY_PREFIX',
  'REDIS_SENTINEL_WRITE_HOLD_MS',
  'REDIS_CLUSTER_ENABLED',
  'REDIS_CLUSTER_NODES',
  'REDIS_CLUSTER_SCALE_READS',
  'REDIS_CLUSTER_WRITE_HOLD_MS',
  'TRUST_PROXY',
  'REDIS_HEALTH_STRICT',
  'HEALTH_HEAP_MAX_MB',
  'HEALTH_DETAILS_TOKEN',
  'ADMIN_TOKEN',
  'LOG_FORMAT',
  'AUTH_RATE_LIMIT',
  'EVENTS_MAX_STREAMS',
  'EVENTS_MAX_STREAMS_PER_IP',
  'EVENTS_MAX_BUFFER_BYTES',
  'EVENTS_PUBLISH_TOKEN',
  'STATUS_MAX_STREAMS',
  'STATUS_MAX_STREAMS_PER_IP',
  'SESSION_COOKIE_SECURE',
  'SESSION_MAX_PER_USER',
  'SWITCHOVER_COOLDOWN_MS',
  'METRICS_NODE_LABELS',
  'RATE_LIMIT_IPV6_PREFIX',
  'REDIS_FALLBACK_MAX_ENTRIES',
  'REDIS_FALLBACK_MAX_BYTES',
];

/**
 * Boots the real AppModule with exactly these variables set, ready for supertest; quiet unless a
 * `logger` (e.g. a `CapturedLogger`) is given.
 */
export async function startApi(env: Record<string, string>, logger?: LoggerService): Promise<INestApplication> {
  for (const name of MANAGED_ENV) delete process.env[name];
  Object.assign(process.env, env);
  const builder = Test.createTestingModule({ imports: [AppModule] });
  if (logger) builder.setLogger(logger);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: logger ?? false });
  configureApp(app);
  await app.init();
  return app;
}

/**
 * Starts an API instance on the Sentinel group whose sentinels are `sentinelList` (500 ms command
 * timeout, plus `env`), listening on a free loopback port.
 */
export async function startSentinelPod(
  sentinelList: string,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  const pod = await startApi({
    REDIS_SENTINEL_ENABLED: 'true',
    REDIS_SENTINELS: sentinelList,
    REDIS_COMMAND_TIMEOUT_MS: '500',
    ...env,
  });
  await pod.listen(0, '127.0.0.1');
  return pod;
}
