import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** `GET /events` (Server-Sent Events) and `POST /events`. */
@Module({ controllers: [EventsController] })
export class EventsModule {}
