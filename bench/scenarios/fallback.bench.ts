import { MemoryStore } from '@sentinel-kit/redis/internal';
import { LRUCache } from 'lru-cache';
import type { BenchResult, BenchSuite, ThroughputComparison } from '../scenario';

/**
 * Entries in the store: the cost curve from a short outage to a long one with a generous
 * `REDIS_FALLBACK_MAX_ENTRIES`.
 */
export const FALLBACK_SIZES = [10_000, 100_000, 1_000_000] as const;
/** A distinct 100-byte value per entry, as sessions or cached objects would be. */
const valueOf = (i: number) => String(i).padStart(100, 'x');

/** A store as the comparison needs it. */
interface Store {
  get(key: string): unknown;
  set(key: string, value: string): void;
}

/** Bytes of heap that `fill` keeps alive, after a full garbage collection before and after. */
function retainedBytes(fill: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the fallback bench measures memory: run node with --expose-gc (npm run bench does)');
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = fill();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('nothing was kept');
  return after - before;
}

/**
 * The in-memory fallback (`MemoryStore`, on lru-cache with per-entry TTLs) full at `entries`
 * against a bare `LRUCache` of the same bound: get and set throughput, and heap per entry.
 */
export function fallbackSuite(entries: number): BenchSuite & { memory(): BenchResult[] } {
  const key = (i: number) => `session:${i % entries}`;
  const fill = (store: Store) => {
    for (let i = 0; i < entries; i += 1) store.set(key(i), valueOf(i));
    return store;
  };
  const ours = fill(new MemoryStore(entries));
  const bare = fill(new LRUCache<string, string>({ max: entries }));
  const comparisons: ThroughputComparison[] = ['get', 'set'].map((operation) => ({
    name: `fallback store ${operation}, ${entries} entries`,
    concurrency: 1,
    ours: {
      name: `sentinel-kit MemoryStore.${operation}`,
      operation: (i) => Promise.resolve(operation === 'get' ? ours.get(key(i)) : ours.set(key(i), valueOf(i))),
    },
    peers: [
      {
        name: `lru-cache ${operation}`,
        operation: (i) => Promise.resolve(operation === 'get' ? bare.get(key(i)) : bare.set(key(i), valueOf(i))),
      },
    ],
  }));
  return {
    comparisons,
    close: () => Promise.resolve(),
    memory: () => {
      const oursBytes = retainedBytes(() => fill(new MemoryStore(entries))) / entries;
      const peerBytes = retainedBytes(() => fill(new LRUCache<string, string>({ max: entries }))) / entries;
      return [
        {
          name: `fallback store heap, ${entries} entries of 100 B`,
          unit: 'bytes/entry',
          ours: Math.round(oursBytes),
          peer: Math.round(peerBytes),
          peerName: 'lru-cache',
          ratio: Number((peerBytes / oursBytes).toFixed(3)),
          rounds: 1,
        },
      ];
    },
  };
}
