import type { MessageEvent } from '@nestjs/common';
import type { PubSubEvent } from '@sentinel-kit/redis';
import type { PublishedEvent } from './event.schemas';

/**
 * One pub/sub event as a Server-Sent Event: `event:` is the kind (`message`, `interrupted`,
 * `resumed` or `missed`), `id:` the message id, `data:` a JSON object.
 */
export function toSseEvent(event: PubSubEvent<PublishedEvent>): MessageEvent {
  switch (event.kind) {
    case 'message': {
      // A raw PUBLISH by someone else (e.g. redis-cli) carries text, not a posted event.
      const posted = isPublishedEvent(event.data) ? event.data : { type: 'external', data: event.data };
      return {
        type: 'message',
        id: event.id,
        data: { ...posted, origin: event.origin, publishedAt: event.publishedAt?.toISOString() },
      };
    }
    case 'interrupted':
      return { type: 'interrupted', data: { since: event.since.toISOString() } };
    case 'resumed':
      return { type: 'resumed', data: { since: event.since.toISOString(), until: event.until.toISOString() } };
    case 'missed':
      return {
        type: 'missed',
        data: { origin: event.origin, afterSequence: event.afterSequence, count: event.count },
      };
  }
}

function isPublishedEvent(value: unknown): value is PublishedEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
