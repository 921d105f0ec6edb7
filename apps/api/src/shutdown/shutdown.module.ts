import { Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.service';

/** Graceful shutdown of the HTTP server (see {@link GracefulShutdown}). */
@Module({ providers: [GracefulShutdown] })
export class ShutdownModule {}
