import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client';

/**
 * A Lua script run by its SHA1 (`EVALSHA`), so only the hash travels on each call; on `NOSCRIPT`
 * (a new or restarted node, a failover, `SCRIPT FLUSH`) it is sent once with `EVAL`, which also
 * caches it on that node.
 *
 * @example
 * const incr = new RedisScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
 * await incr.run(client, ['counter'], [5]);
 */
export class RedisScript {
  /** SHA1 of the script text, as Redis computes it. */
  readonly sha1: string;

  constructor(readonly lua: string) {
    this.sha1 = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/** Whether `error` is Redis' `NOSCRIPT` reply: the node has no script of that SHA1, and ran nothing. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
