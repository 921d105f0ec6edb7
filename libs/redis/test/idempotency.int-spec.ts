import { Controller, HttpCode, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisModule } from '@sentinel-kit/redis';
import { IdempotencyModule, Idempotent, type IdempotencyModuleOptions } from '@sentinel-kit/redis/idempotency';
import {
  CapturedLogger,
  sendCommand,
  startStandaloneRedis,
  waitFor,
  type RedisServerProcess,
} from '@sentinel-kit/testing';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standaloneOptions } from './redis-test-app';

/** Routes of the test app; `runs` counts how often each handler ran. */
@Controller()
class ThingsController {
  static readonly runs = new Map<string, number>();
  static release: (() => void) | undefined;

  private ran(route: string): number {
    const count = (ThingsController.runs.get(route) ?? 0) + 1;
    ThingsController.runs.set(route, count);
    return count;
  }

  @Post('things')
  @Idempotent({ ttlMs: 1000 })
  things() {
    return { run: this.ran('things') };
  }

  @Post('optional')
  @HttpCode(200)
  @Idempotent({ required: false })
  optional() {
    return { run: this.ran('optional') };
  }

  @Post('big')
  @Idempotent()
  big() {
    return { run: this.ran('big'), padding: 'x'.repeat(2048) };
  }

  @Post('slow')
  @Idempotent()
  async slow() {
    await new Promise<void>((resolve) => (ThingsController.release = resolve));
    return { run: this.ran('slow') };
  }
}

/** `@Idempotent` routes of a Nest app on a standalone redis-server. */
describe('IdempotencyModule', () => {
  let redis: { server: RedisServerProcess; dispose: () => Promise<void> };
  const apps: INestApplication[] = [];
  const logs = new CapturedLogger();

  const start = async (options: IdempotencyModuleOptions) => {
    const moduleRef = await Test.createTestingModule({
      imports: [RedisModule.forRoot(standaloneOptions(redis.server.port)), IdempotencyModule.forRoot(options)],
      controllers: [ThingsController],
    })
      .setLogger(logs)
      .compile();
    const app = moduleRef.createNestApplication({ logger: logs });
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return app;
  };
  const post = async (app: INestApplication, path: string, key?: string, body: unknown = {}) => {
    const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      replayed: response.headers.get('idempotency-replayed'),
      body: (await response.json()) as { run?: number },
    };
  };
  const records = async () => (await sendCommand(redis.server.endpoint, 'KEYS', ['app:idempotency:*'])) as string[];

  beforeAll(async () => {
    redis = await startStandaloneRedis();
  });
  beforeEach(() => ThingsController.runs.clear());
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis?.dispose();
  });

  it("replays an answer for the key's time to live, then runs the request again", async () => {
    const app = await start({ maxAnswerBytes: 1024 });
    expect(await post(app, '/things', 'ttl-1')).toEqual({ status: 201, replayed: null, body: { run: 1 } });
    expect(await post(app, '/things', 'ttl-1')).toEqual({ status: 201, replayed: 'true', body: { run: 1 } });
    await waitFor(async () => (await records()).length === 0, { description: 'the key to expire' });
    expect(await post(app, '/things', 'ttl-1')).toMatchObject({ status: 201, replayed: null, body: { run: 2 } });
  });

  it('runs a request without a key where the key is optional, and gives back a key whose answer is too large', async () => {
    const app = apps[0];
    expect((await post(app, '/optional')).body.run).toBe(1);
    expect((await post(app, '/optional')).body.run).toBe(2);
    expect((await post(app, '/big', 'big-1')).body.run).toBe(1);
    expect((await post(app, '/big', 'big-1')).body.run).toBe(2); // not stored: run again
    expect(logs.lines.some((line) => line.includes('event=idempotency.answer-too-large'))).toBe(true);
  });

  it('keeps the claim of a long request renewed, and lets a request run once an abandoned claim expires', async () => {
    const app = await start({ leaseMs: 1000 });
    const first = post(app, '/slow', 'slow-1');
    await waitFor(() => ThingsController.release !== undefined, { description: 'the slow request to start' });
    // Three leases later, the claim still holds: renewed while the request runs.
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) expect((await post(app, '/slow', 'slow-1')).status).toBe(409);
    ThingsController.release!();
    expect(await first).toMatchObject({ status: 201, body: { run: 1 } });

    // The claim an instance that died left behind: 409 until its lease runs out, then the request runs.
    const abandoned = recordKeyOf('abandoned-1');
    const running = { s: 'running', f: fingerprintOf('POST /things', {}), o: 'a-dead-instance' };
    await sendCommand(redis.server.endpoint, 'SET', [abandoned, JSON.stringify(running), 'PX', '1000']);
    expect((await post(app, '/things', 'abandoned-1')).status).toBe(409);
    await waitFor(async () => (await sendCommand(redis.server.endpoint, 'EXISTS', [abandoned])) === 0, {
      description: 'the abandoned claim to expire',
    });
    expect(await post(app, '/things', 'abandoned-1')).toMatchObject({ status: 201, body: { run: 1 } });
  });

  it('never runs a request whose claim no replica confirmed, nor one Redis cannot claim', async () => {
    const app = await start({ replicas: 1, replicationTimeoutMs: 100 });
    expect((await post(app, '/things', 'unconfirmed-1')).status).toBe(500); // typed: the sample app answers 503
    expect(logs.lines.some((line) => line.includes('1 replica(s) confirmed in time'))).toBe(true);
    expect(await sendCommand(redis.server.endpoint, 'EXISTS', [recordKeyOf('unconfirmed-1')])).toBe(0);

    await redis.server.kill();
    try {
      expect((await post(apps[0], '/things', 'while-down')).status).toBe(500);
    } finally {
      await redis.server.start();
    }
    expect(ThingsController.runs.get('things')).toBeUndefined();
  });
});

/** The Redis key of an idempotency key in the default scope, as the store builds it. */
function recordKeyOf(key: string): string {
  return `app:idempotency:${createHash('sha256').update(`\n${key}`).digest('base64url')}`;
}

/** A request's fingerprint, as the interceptor computes it. */
function fingerprintOf(methodAndPath: string, body: unknown): string {
  return createHash('sha256')
    .update(`${methodAndPath}\n${JSON.stringify(body)}`)
    .digest('base64url');
}
