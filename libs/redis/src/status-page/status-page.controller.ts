import { Get, Inject, Injectable, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Subscription } from 'rxjs';
import { BearerToken } from '../common/bearer-token';
import { EventStream } from '../sse/event-stream';
import { EventStreamLimits, refuseStream } from '../sse/event-stream.limits';
import { RedisStatusFeed } from './status-feed';
import { StatusPageDocument } from './status-page.document';
import { STATUS_PAGE_RESOLVED_OPTIONS, type ResolvedStatusPageOptions } from './status-page.options';

/**
 * `GET /status`: the live status page (one self-contained HTML document, which holds no data), and
 * `GET /status/stream`: the Server-Sent Events it draws from, behind the token when one is set. The
 * module serves it through a subclass at the path it is given (see `StatusPageRoute`).
 */
@Injectable()
export class RedisStatusPageController {
  private readonly token?: BearerToken;
  private readonly limits: EventStreamLimits;

  constructor(
    private readonly feed: RedisStatusFeed,
    private readonly document: StatusPageDocument,
    @Inject(STATUS_PAGE_RESOLVED_OPTIONS) private readonly options: ResolvedStatusPageOptions,
  ) {
    if (options.token !== undefined) this.token = new BearerToken(options.token, 'the status page token');
    this.limits = new EventStreamLimits(options.maxStreams, options.maxStreamsPerClient);
  }

  /** The page: HTML with its script and style inline, under a Content-Security-Policy that allows only those. */
  @Get()
  page(@Res() response: ServerResponse): void {
    response.writeHead(200, this.document.headers);
    response.end(this.document.html);
  }

  /**
   * `text/event-stream`: `samples`, then `status` frames and `sample` points (see
   * `RedisStatusFeed`). 401 without the token (when one is set); 429 past `maxStreams` on this
   * instance or `maxStreamsPerClient` for this client. Ends at shutdown.
   */
  @Get('stream')
  stream(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    this.token?.assert(request);
    const admitted = this.limits.admit(this.options.clientKey(request));
    if (typeof admitted !== 'function') {
      const policy = admitted.scope === 'client' ? 'status-streams-per-client' : 'status-streams';
      return refuseStream(response, admitted, policy);
    }
    const stream = new EventStream(response, this.options.maxBufferedBytes);
    stream.open();
    const subscription = new Subscription();
    subscription.add(
      this.feed.events().subscribe({
        next: (event) => {
          if (!stream.send(event)) subscription.unsubscribe();
        },
        complete: () => stream.end(),
      }),
    );
    response.on('close', () => {
      subscription.unsubscribe();
      admitted();
    });
  }
}
