import Redis from 'ioredis';

/** Where a one-off command is sent. */
export interface RedisEndpoint {
  host: string;
  port: number;
  /** `AUTH` password, when the node requires one. */
  password?: string;
}

/**
 * Sends one command to a Redis or Sentinel endpoint on a fresh connection that never retries,
 * so a harness check can tell "down" from "slow" without being fooled by a client's own recovery.
 *
 * @throws the connection or reply error, or a timeout after `timeoutMs`.
 */
export async function sendCommand(
  endpoint: RedisEndpoint,
  command: string,
  args: (string | number)[] = [],
  timeoutMs = 1000,
): Promise<unknown> {
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    password: endpoint.password,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    disconnectTimeout: 100,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}
