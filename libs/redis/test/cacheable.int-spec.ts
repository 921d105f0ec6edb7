import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { CacheEvict, Cacheable, RedisModule } from '@sentinel-kit/redis';
import { startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { standaloneOptions } from './redis-test-app';

/** The loads of every instance, by key; what the next load of a key answers or throws. */
const loads = new Map<string, number>();
const next = { version: 1, fail: false };

/** A catalog whose reads are cached, as an app writes it. */
@Injectable()
class Catalog {
  @Cacheable({ key: (id: string) => `product:${id}`, ttlMs: 60_000, tags: (id: string) => [`product:${id}`] })
  async product(id: string): Promise<{ id: string; version: number }> {
    loads.set(id, (loads.get(id) ?? 0) + 1);
    await sleep(200); // a slow source: 50 callers arrive while it loads
    return { id, version: next.version };
  }

  @Cacheable({ key: 'prices', ttlMs: 1000, staleWhileRevalidateMs: 60_000 })
  prices(): Promise<number> {
    loads.set('prices', (loads.get('prices') ?? 0) + 1);
    return Promise.resolve(next.version);
  }

  @Cacheable({ key: 'rates', ttlMs: 1000, staleIfErrorMs: 2000 })
  rates(): Promise<number> {
    loads.set('rates', (loads.get('rates') ?? 0) + 1);
    return next.fail ? Promise.reject(new Error('the rates source is down')) : Promise.resolve(next.version);
  }

  @CacheEvict({ tags: (id: string) => [`product:${id}`] })
  rename(id: string): Promise<string> {
    return Promise.resolve(id);
  }
}

/** `@Cacheable` / `@CacheEvict` on two instances sharing a standalone redis-server. */
describe('@Cacheable across instances', () => {
  let redis: { server: RedisServerProcess; dispose: () => Promise<void> };
  const apps: INestApplicationContext[] = [];
  const catalogs: Catalog[] = [];

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    for (let i = 0; i < 2; i += 1) {
      const moduleRef = await Test.createTestingModule({
        imports: [RedisModule.forRoot(standaloneOptions(redis.server.port, { fallback: { enabled: true } }))],
        providers: [Catalog],
      }).compile();
      moduleRef.useLogger(false);
      const app = await moduleRef.init();
      apps.push(app);
      catalogs.push(app.get(Catalog));
    }
  });
  beforeEach(() => {
    loads.clear();
    next.version = 1;
    next.fail = false;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis?.dispose();
  });

  it('calls the loader once for 50 concurrent misses of one key over two instances', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => catalogs[i % 2].product('p1')));
    expect(loads.get('p1')).toBe(1);
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set(['{"id":"p1","version":1}']));
  });

  it('invalidates by tag: the next call loads again, on every instance', async () => {
    await catalogs[0].product('p2');
    next.version = 2;
    expect((await catalogs[1].product('p2')).version).toBe(1);
    await catalogs[1].rename('p2');
    expect((await catalogs[0].product('p2')).version).toBe(2);
    expect(loads.get('p2')).toBe(2);
  });

  it('serves a stale value while one call reloads it in the background', async () => {
    const loadedAt = Date.now();
    expect(await catalogs[0].prices()).toBe(1);
    next.version = 2;
    await waitFor(() => Date.now() > loadedAt + 1100, { description: 'the value to turn stale' });
    // Stale: answered at once with the old value, while one instance reloads it.
    expect(await catalogs[1].prices()).toBe(1);
    await waitFor(async () => (await catalogs[0].prices()) === 2, { description: 'the reloaded value' });
    expect(loads.get('prices')).toBe(2);
  });

  it('serves a stale value when reloading it fails, within the stale-if-error window only', async () => {
    const loadedAt = Date.now();
    expect(await catalogs[0].rates()).toBe(1);
    next.fail = true;
    await waitFor(() => Date.now() > loadedAt + 1100, { description: 'the value to turn stale' });
    expect(await catalogs[1].rates()).toBe(1);
    await waitFor(() => Date.now() > loadedAt + 3100, { description: 'the stale-if-error window to close' });
    await expect(catalogs[0].rates()).rejects.toThrow('the rates source is down');
  });

  it('keeps serving through the in-memory fallback while Redis is gone', async () => {
    await redis.server.kill();
    try {
      expect((await catalogs[0].product('p3')).version).toBe(1);
      expect((await catalogs[0].product('p3')).version).toBe(1);
      expect(loads.get('p3')).toBe(1);
    } finally {
      await redis.server.start();
    }
  });
});
