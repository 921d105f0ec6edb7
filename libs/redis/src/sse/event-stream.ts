import type { MessageEvent } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/** A dropped stream's connection is cut after this long if its reader never takes the last bytes. */
const LAGGED_CLOSE_GRACE_MS = 5000;

/**
 * One `text/event-stream` response: {@link open} writes the headers, {@link send} each event. A
 * reader that lets more than `maxBufferedBytes` pile up is sent a `lagged` notice and dropped, so a
 * slow or stalled client never holds an unbounded buffer.
 */
export class EventStream {
  private dropped = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  /** 200 with the event-stream headers (no caching, no proxy buffering), flushed at once. */
  open(): void {
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
  }

  /**
   * Writes `event`, unless the reader is too far behind: then the stream ends with a `lagged`
   * notice, its connection is cut 5 s later if still open, and this returns false (as it does for
   * every later event).
   */
  send(event: MessageEvent): boolean {
    if (this.dropped) return false;
    if (this.response.writableLength <= this.maxBufferedBytes) {
      this.response.write(formatSseEvent(event));
      return true;
    }
    this.dropped = true;
    this.response.end(formatSseEvent({ type: 'lagged', data: { reason: 'the reader fell too far behind' } }));
    setTimeout(() => this.response.destroy(), LAGGED_CLOSE_GRACE_MS).unref();
    return false;
  }

  /** Ends the response (at shutdown, or when the source of events completes). */
  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
}

/** One event in the `text/event-stream` format: `event:`, `id:` (when set) and one `data:` line per line of data. */
export function formatSseEvent(event: MessageEvent): string {
  const text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  const lines = [`event: ${event.type ?? 'message'}`];
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  for (const line of text.split('\n')) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}
