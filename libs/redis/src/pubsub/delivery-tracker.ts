/** How many sequence numbers are remembered per origin to recognise duplicates and late arrivals. */
const REMEMBERED_PER_ORIGIN = 1024;

/** What to do with an arriving message. */
export type DeliveryVerdict = { deliver: true; missed?: { afterSequence: number; count: number } } | { deliver: false };

interface OriginState {
  highest: number;
  seen: Set<number>;
}

/**
 * Per channel: the sequence numbers seen from each origin. A message whose number was seen is a
 * duplicate (a publish that fell back to local delivery may also have reached Redis); a jump past
 * the highest number means messages were missed; a lower, unseen number is a late arrival and is
 * still delivered. Bounded: at most `maxOrigins` origins, each remembering its last 1024 numbers.
 */
export class DeliveryTracker {
  private readonly origins = new Map<string, OriginState>();

  constructor(private readonly maxOrigins = 1000) {}

  /** Records `sequence` from `origin` and says whether to deliver it and what was missed before it. */
  accept(origin: string, sequence: number): DeliveryVerdict {
    const state = this.origins.get(origin);
    if (!state) {
      this.remember(origin, { highest: sequence, seen: new Set([sequence]) });
      return { deliver: true };
    }
    if (state.seen.has(sequence)) return { deliver: false };
    state.seen.add(sequence);
    if (state.seen.size > REMEMBERED_PER_ORIGIN) state.seen.delete(state.seen.values().next().value as number);
    if (sequence <= state.highest) return { deliver: true };
    const afterSequence = state.highest;
    state.highest = sequence;
    const count = sequence - afterSequence - 1;
    return count > 0 ? { deliver: true, missed: { afterSequence, count } } : { deliver: true };
  }

  private remember(origin: string, state: OriginState): void {
    if (this.origins.size >= this.maxOrigins) this.origins.delete(this.origins.keys().next().value as string);
    this.origins.set(origin, state);
  }
}
