import { setTimeout as sleep } from 'node:timers/promises';

/** How long the demo's loader takes: long enough to see the difference a cache hit makes. */
export const SLOW_LOADER_MS = 1000;

/** A value as the demo's "expensive" source produces it. */
export interface LoadedValue {
  key: string;
  computedAt: string;
}

/** Stands in for a slow database query or remote call. */
export async function slowLoad(key: string): Promise<LoadedValue> {
  await sleep(SLOW_LOADER_MS);
  return { key, computedAt: new Date().toISOString() };
}
