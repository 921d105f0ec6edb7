import type { LoggerService } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Socket } from 'node:net';
import { logEvent } from '../common/log-event';
import { RedisScanInterruptedError } from '../errors/redis-scan-interrupted.error';
import type { RedisExecutor } from './redis-executor';

/** Times a scan starts over after the connection changed under it, before it gives up. */
const MAX_RESTARTS = 3;

/** One `SCAN` page and the socket that answered it. */
interface ScanPage {
  cursor: string;
  keys: string[];
  socket: Socket | undefined;
}

/**
 * Every key matching `pattern` on the primary `node` (see `RedisTopology.primaryNodes`). Each page is its own primary read (bounded, held
 * through a failover); the socket each page went out on is compared with the first page's: a SCAN
 * cursor is only meaningful on the node that issued it, so when the connection changed between
 * pages (a failover to another primary, or any reconnect) the scan starts over from cursor 0.
 *
 * @throws RedisScanInterruptedError after {@link MAX_RESTARTS} restarts.
 */
export async function scanPrimaryKeys(
  executor: RedisExecutor,
  pattern: string,
  count: number,
  logger: LoggerService,
  node: Redis,
): Promise<string[]> {
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt += 1) {
    const keys = await scanOnOneConnection(executor, pattern, count, node);
    if (keys) return keys;
    logger.warn(
      logEvent(
        'redis.scan-restarted',
        { attempt: attempt + 1 },
        'the primary connection changed during a SCAN: starting over',
      ),
    );
  }
  throw new RedisScanInterruptedError(
    `scan: the connection to the primary changed during the scan ${MAX_RESTARTS + 1} times in a row; no partial result returned`,
  );
}

/** The whole scan on the connection of its first page, or null when a later page went out on another one. */
async function scanOnOneConnection(
  executor: RedisExecutor,
  pattern: string,
  count: number,
  node: Redis,
): Promise<string[] | null> {
  const keys: string[] = [];
  let cursor = '0';
  let socket: Socket | undefined;
  do {
    const { value: page } = await executor.readPrimary<ScanPage>({
      name: 'scan',
      primary: node,
      redis: async () => {
        const socket = node.stream;
        const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
        return { cursor: next, keys: found, socket };
      },
    });
    socket ??= page.socket;
    if (page.socket !== socket) return null;
    keys.push(...page.keys);
    cursor = page.cursor;
  } while (cursor !== '0');
  return keys;
}
