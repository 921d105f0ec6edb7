import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  UseGuards,
  type MessageEvent,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  EventStream,
  EventStreamLimits,
  RedisPubSubService,
  refuseStream,
  type PublishReceipt,
} from '@sentinel-kit/redis';
import { RateLimit, clientAddressKey } from '@sentinel-kit/rate-limit';
import { rateLimitEnvConfig } from '@sentinel-kit/rate-limit/config';
import type { Request, Response } from 'express';
import { endWith, ignoreElements, interval, map, merge, share, takeUntil } from 'rxjs';
import { TokenGuard } from '../common/token.guard';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { apiEnvConfig } from '../config/api-env.config';
import { publishEventSchema, type PublishedEvent } from './event.schemas';
import { EventsMetrics } from './events.metrics';
import { toSseEvent } from './sse-event';

/** The pub/sub channel of the sample's events. */
export const EVENTS_CHANNEL = 'events';
/** A `ping` event this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Real-time events across every instance: post on one, receive on all. */
@Controller('events')
export class EventsController {
  constructor(
    private readonly pubsub: RedisPubSubService,
    private readonly limits: EventStreamLimits,
    private readonly metrics: EventsMetrics,
    @Inject(apiEnvConfig.KEY) private readonly api: ConfigType<typeof apiEnvConfig>,
    @Inject(rateLimitEnvConfig.KEY) private readonly rateLimit: ConfigType<typeof rateLimitEnvConfig>,
  ) {}

  /**
   * `text/event-stream` of every event posted to any instance, plus `interrupted`, `resumed` and
   * `missed` notices when delivery was not complete, and a `ping` every 15 s. Ends at shutdown.
   * 429 past `EVENTS_MAX_STREAMS` on this instance or `EVENTS_MAX_STREAMS_PER_IP` for this client.
   * A reader that lets more than `EVENTS_MAX_BUFFER_BYTES` pile up is sent a `lagged` notice and
   * dropped.
   */
  @Get()
  stream(@Req() request: Request, @Res() response: Response): void {
    const client = clientAddressKey(
      request.ip ?? request.socket.remoteAddress ?? 'unknown',
      this.rateLimit.ipv6PrefixBits,
    );
    const admitted = this.limits.admit(client);
    if (typeof admitted !== 'function') {
      this.metrics.streamRefused(admitted.scope);
      return refuseStream(
        response,
        admitted,
        admitted.scope === 'client' ? 'event-streams-per-client' : 'event-streams',
      );
    }
    const stream = new EventStream(response, this.api.eventsMaxBufferedBytes);
    stream.open();
    const events = this.pubsub.subscribe<PublishedEvent>(EVENTS_CHANNEL).pipe(map(toSseEvent), share());
    const ended = events.pipe(ignoreElements(), endWith(true));
    const heartbeat = interval(HEARTBEAT_MS).pipe(
      map((): MessageEvent => ({ type: 'ping', data: '' })),
      takeUntil(ended),
    );
    const subscription = merge(events, heartbeat).subscribe({
      next: (event) => {
        if (stream.send(event)) return;
        this.metrics.streamLagged();
        subscription.unsubscribe();
      },
      // The event stream completes at shutdown: end the response with it.
      complete: () => stream.end(),
    });
    response.on('close', () => {
      subscription.unsubscribe();
      admitted();
    });
  }

  /**
   * 202 with the receipt: `reach: 'cluster'` (every instance's subscribers got it) or `'local'`
   * (Redis was unreachable; only this instance's). 400 for a bad body, 503 when Redis is down and
   * the fallback is off. Requires `Authorization: Bearer <EVENTS_PUBLISH_TOKEN>` when that is set.
   * Limited per client by `EVENTS_RATE_LIMIT`.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('events')
  @UseGuards(TokenGuard('EVENTS_PUBLISH_TOKEN', 'open'))
  publish(@Body(new ZodBodyPipe(publishEventSchema)) body: PublishedEvent): Promise<PublishReceipt> {
    return this.pubsub.publish(EVENTS_CHANNEL, body);
  }
}
