import type { LoggerService } from '@nestjs/common';
import type { RedisClient } from './redis-client';
import { logEvent } from '../common/log-event';
import type { SecretRedactor } from '../errors/secret-redactor';

/**
 * Attaches the listeners every client must have: an `error` listener (without one, Node prints
 * "Unhandled error event" and may crash) and state logging that speaks once per change, not
 * once per retry, with secrets removed.
 *
 * @param name what the client is, e.g. `write client` or `sentinel 127.0.0.1:26379 watcher`.
 */
export function attachConnectionStateLogging(
  client: RedisClient,
  name: string,
  logger: LoggerService,
  redactor: SecretRedactor,
): void {
  let state: 'new' | 'up' | 'down' = 'new';
  client.on('ready', () => {
    if (state === 'new') logger.log(logEvent('redis.connected', { client: name }, `${name}: connected`));
    if (state === 'down')
      logger.log(logEvent('redis.connection-restored', { client: name }, `${name}: connection restored`));
    state = 'up';
  });
  client.on('error', (error: unknown) => {
    if (state === 'down') return;
    state = 'down';
    const message = error instanceof Error ? error.message : String(error);
    const text = redactor.redact(message);
    logger.warn(logEvent('redis.connection-error', { client: name, error: text }, `${name}: ${text}`));
  });
  // 'reconnecting', not 'close': a deliberate shutdown closes without reconnecting and is not news.
  client.on('reconnecting', () => {
    if (state !== 'up') return;
    state = 'down';
    logger.warn(logEvent('redis.connection-lost', { client: name }, `${name}: connection lost, reconnecting`));
  });
}
