import { MemoryStore } from './memory-store';

/**
 * The parts of the in-memory fallback, each bounded on its own so that one cannot evict the
 * other's entries: `cache` (the cache API, pub/sub bookkeeping: anything an anonymous request can
 * fill) and `sessions` (sessions, their indexes and sign-out records).
 */
export type FallbackNamespace = 'cache' | 'sessions';

/** One {@link MemoryStore} per {@link FallbackNamespace}, each bounded in entries and in bytes. */
export class FallbackStores {
  private readonly stores: Record<FallbackNamespace, MemoryStore>;

  constructor(maxEntries: number, maxBytes: number) {
    this.stores = {
      cache: new MemoryStore(maxEntries, performance, maxBytes),
      sessions: new MemoryStore(maxEntries, performance, maxBytes),
    };
  }

  /** Entries held, in all namespaces. */
  get size(): number {
    return this.stores.cache.size + this.stores.sessions.size;
  }

  of(namespace: FallbackNamespace): MemoryStore {
    return this.stores[namespace];
  }

  /** Empties every store (their entries are local to this instance: stale once Redis is back). */
  clear(): void {
    for (const store of Object.values(this.stores)) store.clear();
  }
}
