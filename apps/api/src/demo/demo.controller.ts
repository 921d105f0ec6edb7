import { BadRequestException, Controller, Get, Param, type PipeTransform } from '@nestjs/common';
import { RedisCacheService, RedisExecutor } from '@sentinel-kit/redis';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { slowLoad, type LoadedValue } from './slow-loader';

/** How long the cache demo keeps a value. */
export const DEMO_CACHE_TTL_SECONDS = 30;
const DEMO_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** What `GET /demo/cache/:key` answers. */
export interface CacheDemoAnswer {
  key: string;
  value: LoadedValue;
  /** `loader`: this request ran the slow loader (a miss); `cache`: it did not (a hit, or it joined a load in flight). */
  source: 'loader' | 'cache';
  tookMs: number;
  /** True while Redis is unreachable and the in-memory fallback serves. */
  degraded: boolean;
}

/** 400 (JSON) for a key outside `[A-Za-z0-9._:-]{1,64}`. */
class DemoKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!DEMO_KEY_PATTERN.test(value)) {
      throw new BadRequestException('key must be 1–64 letters, digits, ".", "_", ":" or "-"');
    }
    return value;
  }
}

/** Routes that show the toolkit at work. */
@Controller('demo')
export class DemoController {
  constructor(
    private readonly cache: RedisCacheService,
    private readonly executor: RedisExecutor,
  ) {}

  /** Limited per client IP by `DEMO_RATE_LIMIT`; the RateLimit headers say how much is left. */
  @Get('limited')
  @RateLimit('demo')
  limited(): { message: string } {
    return { message: 'within the limit; see the RateLimit and RateLimit-Policy headers' };
  }

  /**
   * `wrap()` over a loader that takes a second: the first call for a key is slow (`source: loader`),
   * the next ones within 30 s are fast (`source: cache`); concurrent misses share one load.
   */
  @Get('cache/:key')
  async cached(@Param('key', DemoKeyPipe) key: string): Promise<CacheDemoAnswer> {
    const started = performance.now();
    let source: CacheDemoAnswer['source'] = 'cache';
    const value = await this.cache.wrap(`demo:${key}`, DEMO_CACHE_TTL_SECONDS, () => {
      source = 'loader';
      return slowLoad(key);
    });
    return {
      key,
      value,
      source,
      tookMs: Math.round(performance.now() - started),
      degraded: this.executor.degraded,
    };
  }
}
