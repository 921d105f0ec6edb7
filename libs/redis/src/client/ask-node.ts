import type { RedisClient } from './redis-client';
import { withTimeout } from '../common/with-timeout';

/**
 * One diagnostic command that never throws: the reply, the error Redis replied with (an `Error`
 * whose message starts with its code, e.g. `NOPERM …`), or null when the connection is not ready or
 * nothing came back within `timeoutMs`.
 */
export async function askNode(
  client: RedisClient,
  timeoutMs: number,
  command: string,
  ...args: string[]
): Promise<unknown> {
  if (client.status !== 'ready') return null;
  try {
    return await withTimeout(client.call(command, ...args), timeoutMs);
  } catch (error) {
    return error instanceof Error && /^[A-Z]+ /.test(error.message) ? error : null;
  }
}
