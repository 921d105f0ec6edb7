import { createServer } from 'node:net';

/** Ports that a test must never bind: the well-known Redis and Sentinel defaults. */
const RESERVED_PORTS = new Set([6379, 26379]);

/**
 * Asks the kernel for a free TCP port on 127.0.0.1.
 *
 * The port is released before it is returned, so another process could take it in between; the
 * harness tolerates that by failing the start with a clear message rather than hanging.
 */
export async function findFreePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (port > 0 && !RESERVED_PORTS.has(port)) return port;
  }
}
