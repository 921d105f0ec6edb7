import { MemoryStore } from '@sentinel-kit/redis/internal';
import { MemorySessionIndex } from './memory-session-index';

describe('MemorySessionIndex', () => {
  it('evicts the ids that expire first beyond the cap, never the one to keep', () => {
    const index = new MemorySessionIndex(new MemoryStore(100), 'index');
    const now = 1_000;
    index.put('a', 5_000, now);
    index.put('b', 3_000, now);
    index.put('c', 9_000, now);
    index.put('new', 2_000, now);
    expect(index.evictBeyond(2, 'new', now)).toEqual(['b', 'a']);
    expect(index.liveIds(now).sort()).toEqual(['c', 'new']);
    expect(index.evictBeyond(2, 'new', now)).toEqual([]);
  });
});
