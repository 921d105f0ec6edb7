import type { LoggerService } from '@nestjs/common';
import { Cluster } from 'ioredis';
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
    const text = redactor.redact(describe(error));
    logger.warn(logEvent('redis.connection-error', { client: name, error: text }, `${name}: ${text}`));
  });
  if (client instanceof Cluster) logNodeErrors(client, name, logger, redactor);
  // 'reconnecting', not 'close': a deliberate shutdown closes without reconnecting and is not news.
  client.on('reconnecting', () => {
    if (state !== 'up') return;
    state = 'down';
    logger.warn(logEvent('redis.connection-lost', { client: name }, `${name}: connection lost, reconnecting`));
  });
}

/**
 * The error's message, and for a Cluster client that reached no node, the last node's reason (a
 * refused certificate, a refused password…), which ioredis keeps apart from its own message.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { lastNodeError } = error as { lastNodeError?: unknown };
  return lastNodeError instanceof Error ? `${error.message} Last node error: ${lastNodeError.message}` : error.message;
}

/** How long a Cluster client stays quiet about one node after saying why it failed. */
const NODE_ERROR_QUIET_MS = 60_000;

/**
 * A Cluster client's own errors say only that no node answered; each node's reason (a refused
 * certificate, a refused connection) comes with `node error`, once per node and minute.
 */
function logNodeErrors(client: Cluster, name: string, logger: LoggerService, redactor: SecretRedactor): void {
  const lastLogged = new Map<string, number>();
  client.on('node error', (error: unknown, node: string) => {
    const now = Date.now();
    if (now - (lastLogged.get(node) ?? -Infinity) < NODE_ERROR_QUIET_MS) return;
    lastLogged.set(node, now);
    const text = redactor.redact(error instanceof Error ? error.message : String(error));
    logger.warn(logEvent('redis.node-error', { client: name, node, error: text }, `${name}: node ${node}: ${text}`));
  });
}
