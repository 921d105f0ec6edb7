import type { ServerResponse } from 'node:http';

/** Why a stream was refused: this instance is full, or this client has its share. */
export interface StreamRefusal {
  scope: 'instance' | 'client';
  limit: number;
}

/**
 * Counts the open event streams of one endpoint (`GET /events`, `GET /status/stream`), in all and
 * per client, and admits a new one only within both caps. Every admission must be released exactly
 * once, when its stream closes.
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

/** `Retry-After` of a stream refused by a cap: streams come and go, so soon. */
const REFUSED_RETRY_AFTER_SECONDS = 5;

/**
 * Answers a refused stream: 429 with the cap as a quota in the RateLimit headers (`policy`, none
 * left), `Retry-After: 5`, and a problem+JSON-shaped body that says which cap was reached.
 */
export function refuseStream(response: ServerResponse, refusal: StreamRefusal, policy: string): void {
  response.writeHead(429, {
    'Content-Type': 'application/json; charset=utf-8',
    'RateLimit-Policy': `"${policy}";q=${refusal.limit}`,
    RateLimit: `"${policy}";r=0`,
    'Retry-After': String(REFUSED_RETRY_AFTER_SECONDS),
  });
  response.end(
    JSON.stringify({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail:
        refusal.scope === 'client'
          ? `at most ${refusal.limit} event streams per client are open at once`
          : `this instance serves at most ${refusal.limit} event streams at once`,
    }),
  );
}
