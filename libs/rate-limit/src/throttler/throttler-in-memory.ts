import type { MemoryStore } from '@sentinel-kit/redis/internal';

/** `[totalHits, timeToExpire ms, isBlocked 0/1, timeToBlockExpire ms]`, as the throttler script answers. */
export type ThrottlerReply = [number, number, number, number];

/**
 * The throttler script's twin on a per-process store, for the `memory` failure policy: a fixed
 * window of `ttlMs` per key, and a block of `blockMs` once the limit is passed. Same arithmetic as
 * the Lua script, so a pod limits alone while Redis is gone exactly as all pods do together.
 */
export function throttleInMemory(
  store: MemoryStore,
  hitsKey: string,
  blockKey: string,
  ttlMs: number,
  limit: number,
  blockMs: number,
): ThrottlerReply {
  const blocked = store.pttl(blockKey);
  if (blocked > 0) return [Number(store.get(blockKey)), blocked, 1, blocked];
  if (blockMs <= 0) {
    const hits = Number(store.get(hitsKey) ?? '0');
    if (hits >= limit) {
      const left = store.pttl(hitsKey);
      const expiresIn = left < 0 ? ttlMs : left;
      return [hits + 1, expiresIn, 1, expiresIn];
    }
  }
  const hits = store.incr(hitsKey, 1);
  let left = store.pttl(hitsKey);
  if (left < 0) {
    store.expire(hitsKey, ttlMs / 1000);
    left = ttlMs;
  }
  if (hits > limit) {
    store.set(blockKey, String(hits), blockMs / 1000);
    store.del([hitsKey]);
    return [hits, blockMs, 1, blockMs];
  }
  return [hits, left, 0, 0];
}
