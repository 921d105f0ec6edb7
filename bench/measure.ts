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

/**
 * Measures each contender `rounds` times, each round in the reverse order of the one before, so
 * that drift hits every contender alike. Returns each contender's samples, round by round.
 */
export async function interleavedRounds<T>(
  contenders: readonly T[],
  rounds: number,
  measure: (contender: T) => Promise<number>,
): Promise<number[][]> {
  const samples = contenders.map((): number[] => []);
  for (let round = 0; round < rounds; round += 1) {
    const order = [...contenders.keys()];
    if (round % 2 === 1) order.reverse();
    for (const index of order) samples[index].push(await measure(contenders[index]));
  }
  return samples;
}

/**
 * The median of the round-by-round ratios `ours / peer`: each ratio compares two runs a few seconds
 * apart, so a machine that slows down for a while moves both sides of it.
 */
export function pairedRatio(ours: readonly number[], peer: readonly number[]): number {
  return median(ours.map((value, round) => value / peer[round]));
}
