import type { MemoryStore } from '@sentinel-kit/redis/internal';

/**
 * The user index kept in the in-memory fallback: `{ id: expiresAt }` as JSON under the index key.
 * It drops expired ids on every write and expires with its last live member: rewriting the whole
 * entry costs the same either way, where the Lua scripts trim lazily (see session-scripts.ts).
 */
export class MemorySessionIndex {
  constructor(
    private readonly store: MemoryStore,
    private readonly key: string,
  ) {}

  /** Ids whose expiry is after `now`. */
  liveIds(now: number): string[] {
    return Object.entries(this.read())
      .filter(([, expiresAt]) => expiresAt > now)
      .map(([id]) => id);
  }

  put(id: string, expiresAt: number, now: number): void {
    this.write({ ...this.read(), [id]: expiresAt }, now);
  }

  remove(id: string, now: number): void {
    const entries = this.read();
    delete entries[id];
    this.write(entries, now);
  }

  /**
   * Drops the ids that expire first until at most `max` remain, never `keep` (the per-user cap, as
   * `SAVE_SESSION` applies it).
   * @returns the ids dropped.
   */
  evictBeyond(max: number, keep: string, now: number): string[] {
    const entries = this.read();
    const oldestFirst = Object.keys(entries)
      .filter((id) => id !== keep)
      .sort((a, b) => entries[a] - entries[b]);
    const evicted = oldestFirst.slice(0, Math.max(0, Object.keys(entries).length - max));
    for (const id of evicted) delete entries[id];
    this.write(entries, now);
    return evicted;
  }

  clear(): void {
    this.store.del([this.key]);
  }

  private read(): Record<string, number> {
    const text = this.store.get(this.key);
    return text === null ? {} : (JSON.parse(text) as Record<string, number>);
  }

  private write(entries: Record<string, number>, now: number): void {
    const live = Object.fromEntries(Object.entries(entries).filter(([, expiresAt]) => expiresAt > now));
    const last = Math.max(0, ...Object.values(live));
    if (last === 0) this.store.del([this.key]);
    else this.store.set(this.key, JSON.stringify(live), (last - now) / 1000);
  }
}
