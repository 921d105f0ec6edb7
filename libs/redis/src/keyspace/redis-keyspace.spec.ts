import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import { RedisKeyspace } from './redis-keyspace';

describe('RedisKeyspace', () => {
  it('applies the key prefix to keys, channels and namespaces', () => {
    const keyspace = new RedisKeyspace(resolveRedisOptions({ keyPrefix: 'tenant-a:' }));
    expect(keyspace.key('profile')).toBe('tenant-a:profile');
    const sessions = keyspace.namespace('session:');
    expect(sessions.prefix).toBe('tenant-a:session:');
    expect(sessions.key('abc')).toBe('tenant-a:session:abc');
  });

  it('puts keys built with one tag in one hash slot, and gives each owner a short fixed tag', () => {
    const keyspace = new RedisKeyspace(resolveRedisOptions({ keyPrefix: 'app:' }));
    const tag = keyspace.slotTag('user-42');
    expect(tag).toMatch(/^[A-Za-z0-9_-]{2}$/);
    expect(keyspace.slotTag('user-42')).toBe(tag);
    expect(keyspace.namespace('session:').inSlot(tag, 'abc')).toBe(`app:session:{${tag}}abc`);
    expect(keyspace.namespace('session-user:').inSlot(tag, 'user-42')).toBe(`app:session-user:{${tag}}user-42`);
    // Spread over many slots: 1000 owners get hundreds of distinct tags.
    const tags = new Set(Array.from({ length: 1000 }, (_, i) => keyspace.slotTag(`user-${i}`)));
    expect(tags.size).toBeGreaterThan(500);
  });

  it('is the only source file of the libraries that applies the key prefix (options/ only resolves it)', () => {
    const libs = join(__dirname, '..', '..', '..');
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'test' || name === 'options' ? [] : sources(path);
        return /(?<!spec)\.ts$/.test(name) ? [path] : [];
      });
    const readers = sources(libs)
      .filter((file) => /\.keyPrefix\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(libs, file));
    expect(readers).toEqual(['redis/src/keyspace/redis-keyspace.ts']);
  });
});
