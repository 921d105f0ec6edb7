import { Module } from '@nestjs/common';
import { RedisStatusFeed } from './status-feed';
import { StatusPageDocument } from './status-page.document';
import { STATUS_PAGE_MODULE_OPTIONS, StatusPageConfigurableModule } from './status-page.module-definition';
import {
  STATUS_PAGE_RESOLVED_OPTIONS,
  resolveStatusPageOptions,
  type RedisStatusPageOptions,
} from './status-page.options';
import { StatusSampler } from './status-sampler';

/**
 * The live status page of the Redis group on the global `RedisModule` (import that first):
 * `GET /status` (HTML) and `GET /status/stream` (Server-Sent Events). It shows the primary, the
 * replicas with their lag, each sentinel with the primary it names, quorum, cluster shards, the
 * circuit and since when, the failovers with a timeline, the configuration warnings, and a live
 * chart of latency p50/p99 and errors. `path` serves it elsewhere; `decorators` adds your guards
 * or rate limit to both routes.
 *
 * @example
 * RedisStatusPageModule.forRoot({ token: process.env.STATUS_TOKEN, decorators: [RateLimit('auth')] })
 */
@Module({
  providers: [
    {
      provide: STATUS_PAGE_RESOLVED_OPTIONS,
      inject: [STATUS_PAGE_MODULE_OPTIONS],
      useFactory: (options: RedisStatusPageOptions) => resolveStatusPageOptions(options),
    },
    { provide: StatusPageDocument, useFactory: () => new StatusPageDocument() },
    StatusSampler,
    RedisStatusFeed,
  ],
})
export class RedisStatusPageModule extends StatusPageConfigurableModule {}
