import type Redis from 'ioredis';

/** The one piece of ioredis' private state we touch: the timer of a pending reconnect. */
interface PendingReconnect {
  reconnectTimeout?: NodeJS.Timeout | null;
}

/**
 * Makes a client that is waiting out its reconnect back-off (status `reconnecting`) try now.
 * ioredis keeps the back-off timer private and does not clear it on `connect()`; left running, it
 * would fire a second attempt later, even after the client was closed. So it is cleared first.
 * Does nothing in any other status.
 */
export function reconnectNow(client: Redis): void {
  if (client.status !== 'reconnecting') return;
  const pending = client as unknown as PendingReconnect;
  if (pending.reconnectTimeout) {
    clearTimeout(pending.reconnectTimeout);
    pending.reconnectTimeout = null;
  }
  client.connect().catch(() => undefined);
}
