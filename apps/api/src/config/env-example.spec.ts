import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveRedisEnv } from '@sentinel-kit/redis';
import { resolveRateLimitEnv } from '@sentinel-kit/rate-limit';
import { resolveSessionEnv } from '@sentinel-kit/session';
import { resolveApiEnv } from './api-env.config';

describe('redis-sentinel.env.example', () => {
  it('is accepted by every configuration the sample API reads, so the example stays valid', () => {
    const text = readFileSync(join(__dirname, '../../../../redis-sentinel.env.example'), 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(resolveRedisEnv(env).mode).toBe('sentinel');
    expect(resolveSessionEnv(env).durability).toBe('replicated');
    expect(resolveRateLimitEnv(env).onRedisFailure).toBe('memory');
    expect(resolveApiEnv(env)).toMatchObject({ port: 3000, trustProxy: false });
  });
});
