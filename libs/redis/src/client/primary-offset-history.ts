/** The primary's replication offset at one moment (`performance.now()` milliseconds). */
interface OffsetSample {
  readonly at: number;
  readonly offset: number;
}

/**
 * The primary's replication offsets read over time, to tell how stale a replica is in milliseconds:
 * a replica at offset `R` lacks bytes that the primary already had at the first sample past `R`, so
 * it is at least that long behind. The estimate is short of the truth by at most one sampling
 * interval, and 0 for a replica that has everything the primary had at the latest sample.
 */
export class PrimaryOffsetHistory {
  private readonly samples: OffsetSample[] = [];

  /** @param keep samples kept (the oldest go first); with one sample per check, a window of `keep` checks. */
  constructor(private readonly keep: number) {}

  /** One reading. An offset lower than the last one (a new primary, a restart) starts the history over. */
  record(at: number, offset: number): void {
    const last = this.samples.at(-1);
    if (last && offset < last.offset) this.samples.length = 0;
    this.samples.push({ at, offset });
    if (this.samples.length > this.keep) this.samples.shift();
  }

  /** How far behind a replica at `replicaOffset` is at `now`, in ms; null before the first reading. */
  lagMs(replicaOffset: number, now: number): number | null {
    if (this.samples.length === 0) return null;
    const firstAhead = this.samples.find((sample) => sample.offset > replicaOffset);
    return firstAhead ? Math.max(0, Math.round(now - firstAhead.at)) : 0;
  }
}
