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
