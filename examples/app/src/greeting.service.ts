import { Injectable } from '@nestjs/common';
import { RedisCacheService } from '@sentinel-kit/redis';

@Injectable()
export class GreetingService {
  constructor(private readonly cache: RedisCacheService) {}

  /** Cache-aside for 60 s: one load per name, however many callers ask at once. */
  greet(name: string): Promise<{ greeting: string; composedAt: string }> {
    return this.cache.wrap(`greeting:${name}`, 60, () =>
      Promise.resolve({ greeting: `Hello, ${name}!`, composedAt: new Date().toISOString() }),
    );
  }
}
