import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { apiEnvConfig } from '../config/api-env.config';
import { EventStreamLimits } from '@sentinel-kit/redis';
import { EventsController } from './events.controller';
import { EventsMetrics } from './events.metrics';

/** `GET /events` (Server-Sent Events) and `POST /events`. */
@Module({
  controllers: [EventsController],
  providers: [
    {
      provide: EventStreamLimits,
      inject: [apiEnvConfig.KEY],
      useFactory: (api: ConfigType<typeof apiEnvConfig>) =>
        new EventStreamLimits(api.eventsMaxStreams, api.eventsMaxStreamsPerClient),
    },
    EventsMetrics,
  ],
})
export class EventsModule {}
