/** One operation under test; `i` is a running number (for key spreading). */
export type Operation = (i: number) => Promise<unknown>;

/**
 * Runs `operation` from `concurrency` loops for `durationMs` and returns operations per second.
 * @throws the first error of any operation: a benchmark of failing calls measures nothing.
 */
export async function opsPerSecond(operation: Operation, concurrency: number, durationMs: number): Promise<number> {
  let count = 0;
  const started = performance.now();
  const end = started + durationMs;
  const loop = async () => {
    while (performance.now() < end) await operation(count++);
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return count / ((performance.now() - started) / 1000);
}

/** The median of `values` (not empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
