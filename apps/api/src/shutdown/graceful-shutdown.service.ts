import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { RedisPubSubService, logEvent } from '@sentinel-kit/redis';
import type { Server } from 'node:http';
import { apiEnvConfig } from '../config/api-env.config';
import { drainHttpServer } from './drain-http-server';

/**
 * On SIGTERM/SIGINT (or `app.close()`), before anything else closes: end the event streams, stop
 * accepting connections and let in-flight requests finish within `SHUTDOWN_GRACE_MS`. Redis is
 * closed after this (the Redis module closes its connections last), so draining requests can still
 * use it, failover handling included.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly pubsub: RedisPubSubService,
    @Inject(apiEnvConfig.KEY) private readonly config: ConfigType<typeof apiEnvConfig>,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const graceMs = this.config.shutdownGraceMs;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.logger.log(
      logEvent(
        'api.shutdown',
        { signal: signal ?? 'close', graceMs },
        'no new connections; ending event streams and draining in-flight requests',
      ),
    );
    this.pubsub.close();
    if (!server?.listening) return;
    const { drained, tookMs } = await drainHttpServer(server, graceMs);
    if (drained) this.logger.log(logEvent('api.drained', { tookMs }, 'every connection finished'));
    else this.logger.warn(logEvent('api.drain-cut', { tookMs }, `connections still open after ${graceMs} ms were cut`));
  }
}
