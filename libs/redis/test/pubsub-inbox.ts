import type { RedisPubSubService, PubSubEvent } from '@sentinel-kit/redis';
import { waitFor } from '@sentinel-kit/testing';
import type { Subscription } from 'rxjs';

/** Collects every event of a subscription, for assertions. */
export class Inbox {
  readonly events: PubSubEvent[] = [];
  completed = false;
  private readonly subscription: Subscription;

  constructor(pubsub: RedisPubSubService, channel: string) {
    this.subscription = pubsub.subscribe(channel).subscribe({
      next: (event) => this.events.push(event),
      complete: () => (this.completed = true),
    });
  }

  messages(): unknown[] {
    return this.events.flatMap((e) => (e.kind === 'message' ? [e.data] : []));
  }

  kinds(): string[] {
    return this.events.map((e) => e.kind);
  }

  async waitFor(description: string, check: (events: PubSubEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => check(this.events), { description, timeoutMs });
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
