/** Why a stream was refused: this instance is full, or this client has its share. */
export interface StreamRefusal {
  scope: 'instance' | 'client';
  limit: number;
}

/**
 * Counts the open `GET /events` streams, in all and per client, and admits a new one only within
 * both caps. Every admission must be released exactly once, when its stream closes.
 */
export class EventStreamLimits {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxStreams: number,
    private readonly maxPerClient: number,
  ) {}

  /** Streams open now. */
  get open(): number {
    return this.total;
  }

  /** @returns a release function for an admitted stream, or why it is refused. */
  admit(client: string): (() => void) | StreamRefusal {
    const held = this.perClient.get(client) ?? 0;
    if (this.total >= this.maxStreams) return { scope: 'instance', limit: this.maxStreams };
    if (held >= this.maxPerClient) return { scope: 'client', limit: this.maxPerClient };
    this.perClient.set(client, held + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left === 0) this.perClient.delete(client);
      else this.perClient.set(client, left);
    };
  }
}
