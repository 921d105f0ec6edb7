import { RedisCommandRejectedError } from '../errors/redis-command-rejected.error';
import { MemoryStore } from './memory-store';

describe('MemoryStore', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers like Redis: get/set/del/exists/ttl', () => {
    const store = new MemoryStore(10, clock);
    expect(store.get('a')).toBeNull();
    expect(store.ttl('a')).toBe(-2);
    store.set('a', '1');
    store.set('b', '2', 10);
    expect(store.get('a')).toBe('1');
    expect(store.ttl('a')).toBe(-1);
    expect(store.ttl('b')).toBe(10);
    now += 250;
    expect(store.pttl('b')).toBe(9750);
    expect(store.pttl('a')).toBe(-1);
    expect(store.pttl('missing')).toBe(-2);
    expect(store.del(['a', 'missing'])).toBe(1);
    expect(store.exists('a')).toBe(false);
  });

  it('expires entries', () => {
    const store = new MemoryStore(10, clock);
    store.set('a', '1', 1);
    now += 1001;
    expect(store.get('a')).toBeNull();
    expect(store.expire('a', 5)).toBe(false);
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const store = new MemoryStore(2, clock);
    store.set('a', '1');
    store.set('b', '2');
    store.get('a');
    store.set('c', '3');
    expect([store.exists('a'), store.exists('b'), store.exists('c')]).toEqual([true, false, true]);
    expect(store.size).toBe(2);
  });

  it('increments integers, keeps the expiry, and rejects non-integers', () => {
    const store = new MemoryStore(10, clock);
    expect(store.incr('n', 1)).toBe(1);
    store.expire('n', 30);
    expect(store.incr('n', 4)).toBe(5);
    expect(store.ttl('n')).toBe(30);
    store.set('s', 'text');
    expect(() => store.incr('s', 1)).toThrow(RedisCommandRejectedError);
  });

  it('evicts least recently used entries past its byte bound too', () => {
    const store = new MemoryStore(1000, clock, 4096);
    for (let i = 0; i < 10; i += 1) store.set(`k${i}`, 'x'.repeat(500)); // about 1 kB each
    expect(store.size).toBeLessThanOrEqual(4);
    expect(store.exists('k9')).toBe(true);
    expect(store.exists('k0')).toBe(false);
  });
});
