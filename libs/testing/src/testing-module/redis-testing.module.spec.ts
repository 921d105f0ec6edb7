import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisExecutor, RedisKeyspace, RedisUnavailableError } from '@sentinel-kit/redis';
import { RedisTestingModule } from './redis-testing.module';

/** An application service, as users write them: it knows only the public tokens. */
@Injectable()
class ProfileService {
  loads = 0;
  constructor(private readonly cache: RedisCacheService) {}

  profile(id: string): Promise<{ id: string; name: string }> {
    return this.cache.wrap(`profile:${id}`, 60, () => {
      this.loads += 1;
      return Promise.resolve({ id, name: `user ${id}` });
    });
  }
}

async function compile(keyPrefix?: string) {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisTestingModule.forRoot({ keyPrefix })],
    providers: [ProfileService],
  }).compile();
  return moduleRef;
}

describe('RedisTestingModule', () => {
  it('gives services the real RedisCacheService, in memory, through the same token', async () => {
    const moduleRef = await compile();
    const profiles = moduleRef.get(ProfileService);
    const [first, second] = await Promise.all([profiles.profile('7'), profiles.profile('7')]);
    expect(first).toEqual({ id: '7', name: 'user 7' });
    expect(second).toEqual(first);
    expect(await profiles.profile('7')).toEqual(first);
    expect(profiles.loads).toBe(1);
  });

  it('keeps values, counters and TTLs as the cache does', async () => {
    const cache = (await compile()).get(RedisCacheService);
    await cache.set('greeting', 'hello', 30);
    expect(await cache.get('greeting')).toBe('hello');
    expect(await cache.ttl('greeting')).toBeGreaterThan(28);
    expect(await cache.incr('visits', 2)).toBe(2);
    expect(await cache.incr('visits')).toBe(3);
    await cache.setJson('user', { id: 1 });
    expect(await cache.getJson('user')).toEqual({ id: 1 });
    expect(await cache.mget(['greeting', 'absent'])).toEqual(['hello', null]);
    expect(await cache.del('greeting', 'absent')).toBe(1);
    expect(await cache.exists('greeting')).toBe(false);
  });

  it('applies the key prefix and says every answer came from memory', async () => {
    const moduleRef = await compile('orders:');
    expect(moduleRef.get(RedisKeyspace).key('a')).toBe('orders:a');
    const answer = await moduleRef.get(RedisExecutor).read({
      name: 'get',
      redis: () => Promise.reject(new Error('never sent')),
      memory: (store) => store.get('orders:a'),
    });
    expect(answer).toEqual({ value: null, source: 'memory' });
  });

  it('fails an operation that has no memory answer, as it would with Redis gone', async () => {
    const executor = (await compile()).get(RedisExecutor);
    await expect(executor.write({ name: 'session-write', redis: () => Promise.resolve('OK') })).rejects.toBeInstanceOf(
      RedisUnavailableError,
    );
    await expect(executor.scanKeys('*', 100)).rejects.toBeInstanceOf(RedisUnavailableError);
  });

  it('gives each testing module stores of its own', async () => {
    await (await compile()).get(RedisCacheService).set('shared?', 'no');
    expect(await (await compile()).get(RedisCacheService).get('shared?')).toBeNull();
  });
});
