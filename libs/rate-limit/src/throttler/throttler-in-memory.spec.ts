import { MemoryStore } from '@sentinel-kit/redis/internal';
import { throttleInMemory } from './throttler-in-memory';

describe('throttleInMemory', () => {
  let now = 0;
  const store = () => new MemoryStore(100, { now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits in a fixed window, then blocks for blockMs and starts a fresh window', () => {
    const memory = store();
    const hit = () => throttleInMemory(memory, 'h', 'b', 1000, 2, 500);
    expect(hit()).toEqual([1, 1000, 0, 0]);
    now += 100;
    expect(hit()).toEqual([2, 900, 0, 0]);
    expect(hit()).toEqual([3, 500, 1, 500]);
    now += 200;
    expect(hit()).toEqual([3, 300, 1, 300]);
    now += 301;
    expect(hit()).toEqual([1, 1000, 0, 0]);
  });

  it('without a block duration, refuses past the limit until the window ends, counting nothing', () => {
    const memory = store();
    const hit = () => throttleInMemory(memory, 'h', 'b', 1000, 1, 0);
    expect(hit()).toEqual([1, 1000, 0, 0]);
    now += 400;
    expect(hit()).toEqual([2, 600, 1, 600]);
    expect(hit()).toEqual([2, 600, 1, 600]);
    // Like a Redis key, the window lasts up to its expiry millisecond included.
    now += 601;
    expect(hit()).toEqual([1, 1000, 0, 0]);
  });
});
