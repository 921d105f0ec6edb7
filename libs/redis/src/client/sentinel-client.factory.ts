import type { LoggerService } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import type { SecretRedactor } from '../errors/secret-redactor';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedSentinelOptions } from '../options/resolved-redis-options.interface';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_DEFAULTS } from '../redis.constants';
import { attachConnectionStateLogging } from './connection-state.logger';
import { reconnectDelay, stalledSocketTimeout } from './reconnect-policy';
import { tlsConnectionOptions } from './tls-connection-options';
import { guardSocketErrors } from './socket-error-guard';

/** Our own two connections to one sentinel. */
export interface SentinelConnection {
  readonly address: RedisNodeAddress;
  /** `host:port`, for messages. */
  readonly label: string;
  /** For `SENTINEL …` queries; fails fast while disconnected. */
  readonly commands: Redis;
  /** Subscribed to the event channels; resubscribes by itself after a reconnect. */
  readonly events: Redis;
}

/**
 * Opens (lazily) a query connection and a subscriber connection to every configured sentinel.
 * Both reconnect forever; only the query connection logs state changes, so an outage is one line.
 */
export function createSentinelConnections(
  options: ResolvedSentinelOptions,
  logger: LoggerService,
  redactor: SecretRedactor,
): SentinelConnection[] {
  return options.sentinel.sentinels.map((address) => {
    const base: RedisOptions = {
      host: address.host,
      port: address.port,
      username: options.sentinel.username,
      password: options.sentinel.password,
      tls: tlsConnectionOptions(options.sentinel.tls),
      protocol: options.protocol,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: REDIS_DEFAULTS.connectTimeoutMs,
      disconnectTimeout: REDIS_DEFAULTS.disconnectTimeoutMs,
      enableReadyCheck: false,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => reconnectDelay(attempt),
    };
    const label = formatAddress(address);
    const commands = guardSocketErrors(
      new Redis({
        ...base,
        socketTimeout: stalledSocketTimeout(options),
        enableOfflineQueue: false,
        connectionName: 'sentinel-kit:query',
      }),
    );
    attachConnectionStateLogging(commands, `sentinel ${label}`, logger, redactor);
    // The subscriber queues SUBSCRIBE until it is connected; a silent listener keeps errors handled.
    // SentinelWatch resubscribes after each reconnect itself: ioredis' own resubscription leaves
    // a refused SUBSCRIBE (NOPERM) as an unhandled promise rejection.
    const events = guardSocketErrors(
      new Redis({
        ...base,
        commandTimeout: undefined,
        autoResubscribe: false,
        connectionName: 'sentinel-kit:events',
      }),
    );
    events.on('error', () => undefined);
    return { address, label, commands, events };
  });
}
