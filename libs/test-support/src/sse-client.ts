import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { waitFor } from '@sentinel-kit/testing';

/** One Server-Sent Event as received. */
export interface ReceivedEvent {
  event: string;
  id?: string;
  data: unknown;
}

/**
 * A minimal `text/event-stream` reader over a real HTTP connection: collects every event and
 * notices when the server ends the stream.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
  }

  /** Opens `GET url` (with extra request `headers`) and resolves once the response headers arrived. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) =>
        resolve(new SseClient(req, response)),
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** Data of the `message` events. */
  messages(): unknown[] {
    return this.events.filter((e) => e.event === 'message').map((e) => e.data);
  }

  /** Waits until `check` holds for the events received so far. */
  async waitFor(description: string, check: (events: ReceivedEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => check(this.events), { description, timeoutMs });
  }

  close(): void {
    this.req.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        fields.set(name, fields.has(name) ? `${fields.get(name)}\n${value}` : value);
      }
      if (!fields.has('data')) continue;
      const text = fields.get('data')!;
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // plain text data
      }
      this.events.push({ event: fields.get('event') ?? 'message', id: fields.get('id'), data });
    }
  }
}
