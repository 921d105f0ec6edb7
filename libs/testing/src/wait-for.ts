import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link waitFor} polls. */
export interface WaitForOptions {
  /** What is awaited, for the error message. */
  description: string;
  /** Give up after this long. @default 15000 */
  timeoutMs?: number;
  /** Pause between two checks. @default 50 */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, or throws when the
 * deadline passes. Errors thrown by `check` count as "not yet"; the last one is reported.
 *
 * @throws Error naming `description` and the last failure when the deadline passes.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out waiting for ${options.description}${reason}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}
