import { Body, Controller, HttpCode, HttpStatus, Post, Sse, type MessageEvent } from '@nestjs/common';
import { RedisPubSubService, type PublishReceipt } from '@sentinel-kit/redis';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { endWith, ignoreElements, interval, map, merge, share, takeUntil, type Observable } from 'rxjs';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { publishEventSchema, type PublishedEvent } from './event.schemas';
import { toSseEvent } from './sse-event';

/** The pub/sub channel of the sample's events. */
export const EVENTS_CHANNEL = 'events';
/** A comment-like `ping` event this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Real-time events across every instance: post on one, receive on all. */
@Controller('events')
export class EventsController {
  constructor(private readonly pubsub: RedisPubSubService) {}

  /**
   * `text/event-stream` of every event posted to any instance, plus `interrupted`, `resumed` and
   * `missed` notices when delivery was not complete, and a `ping` every 15 s. Ends at shutdown.
   */
  @Sse()
  stream(): Observable<MessageEvent> {
    const events = this.pubsub.subscribe<PublishedEvent>(EVENTS_CHANNEL).pipe(map(toSseEvent), share());
    const ended = events.pipe(ignoreElements(), endWith(true));
    const heartbeat = interval(HEARTBEAT_MS).pipe(
      map((): MessageEvent => ({ type: 'ping', data: '' })),
      takeUntil(ended),
    );
    return merge(events, heartbeat);
  }

  /**
   * 202 with the receipt: `reach: 'cluster'` (every instance's subscribers got it) or `'local'`
   * (Redis was unreachable; only this instance's). 400 for a bad body, 503 when Redis is down and
   * the fallback is off. Limited per IP by `EVENTS_RATE_LIMIT`.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('events')
  publish(@Body(new ZodBodyPipe(publishEventSchema)) body: PublishedEvent): Promise<PublishReceipt> {
    return this.pubsub.publish(EVENTS_CHANNEL, body);
  }
}
