import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationOutcome, RecordedOperation } from './chaos.interfaces';

/** How the workload writes one unique key, and how it classifies a rejection. */
export interface WorkloadTarget {
  write(key: string, value: string): Promise<unknown>;
  classify(error: unknown): Exclude<OperationOutcome, 'ok'>;
}

/** Pause of a writer between two calls, by default: a steady load of a few thousand writes per second, not a flood. */
const PAUSE_MS = 1;
/** Pause of a writer after a failed call, so that a fast-failing client does not starve the others. */
const PAUSE_AFTER_FAILURE_MS = 5;

/**
 * `writers` loops, each writing unique keys (`<prefix>:<writer>:<n>`) one after the other, `pauseMs`
 * apart, until stopped; every call is recorded with its timing and outcome.
 */
export function startWrites(target: WorkloadTarget, prefix: string, writers: number, pauseMs = PAUSE_MS) {
  const operations: RecordedOperation[] = [];
  let running = true;
  const loop = async (writer: number): Promise<void> => {
    for (let n = 0; running; n += 1) {
      const key = `${prefix}:${writer}:${n}`;
      const start = performance.now();
      let outcome: OperationOutcome = 'ok';
      try {
        await target.write(key, String(n));
      } catch (error) {
        outcome = target.classify(error);
      }
      operations.push({ key, start, end: performance.now(), outcome });
      await sleep(outcome === 'ok' ? pauseMs : Math.max(pauseMs, PAUSE_AFTER_FAILURE_MS));
    }
  };
  const loops = Array.from({ length: writers }, (_, writer) => loop(writer));
  return {
    operations,
    /** Stops every writer after its current call; resolves to everything recorded. */
    async stop(): Promise<RecordedOperation[]> {
      running = false;
      await Promise.all(loops);
      return operations;
    },
  };
}

/** The longest stretch without an acknowledged write between the first and the last call, in ms. */
export function longestOutage(operations: readonly RecordedOperation[]): number {
  if (operations.length === 0) return 0;
  const acknowledged = operations
    .filter((op) => op.outcome === 'ok')
    .map((op) => op.end)
    .sort((a, b) => a - b);
  const first = operations.reduce((min, op) => Math.min(min, op.start), Infinity);
  const last = operations.reduce((max, op) => Math.max(max, op.end), 0);
  let longest = 0;
  let previous = first;
  for (const at of [...acknowledged, last]) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return longest;
}
