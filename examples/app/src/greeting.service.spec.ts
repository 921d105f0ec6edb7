import { Test } from '@nestjs/testing';
import { RedisTestingModule } from '@sentinel-kit/testing';
import { GreetingService } from './greeting.service.js';

describe('GreetingService', () => {
  it('composes a greeting once, then answers it from the cache', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RedisTestingModule.forRoot()],
      providers: [GreetingService],
    }).compile();
    const greetings = moduleRef.get(GreetingService);

    const first = await greetings.greet('Ada');
    expect(first.greeting).toBe('Hello, Ada!');
    expect(await greetings.greet('Ada')).toEqual(first);
  });
});
