import { createServer } from 'node:net';

/** Ports that a test must never bind: the well-known Redis and Sentinel defaults. */
const RESERVED_PORTS = new Set([6379, 26379]);
/**
 * Ports are handed out from 10000 up to below 32768, where Linux' ephemeral range starts: the
 * local end of an outgoing connection never takes one of them. Each Jest worker (`JEST_WORKER_ID`)
 * has a block of its own, and a process outside Jest (a script, the bench) block 0, so that two
 * suites running side by side never pick the same port, even one that a suite chose and has not
 * bound yet (a cluster node's bus port, or an address deliberately left without a server).
 */
const FIRST_PORT = 10_000;
const BLOCK_SIZE = 3_700;
const BLOCKS = 6;
const block = Number(process.env.JEST_WORKER_ID ?? 0) % BLOCKS;
const blockStart = FIRST_PORT + block * BLOCK_SIZE;
/** Ports this process handed out already: never twice, bound or not. */
const handedOut = new Set<number>();
/** Where the next search starts: a random place in the block, then onwards. */
let cursor = Math.floor(Math.random() * BLOCK_SIZE);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port on 127.0.0.1 that is free now, from this process' block (see above), never one it
 * handed out before. The port is released before it is returned, so a process outside the harness
 * could still take it in between; the harness then fails the start with a clear message rather
 * than hanging.
 *
 * @throws Error when the whole block is taken.
 */
export async function findFreePort(): Promise<number> {
  for (let tried = 0; tried < BLOCK_SIZE; tried += 1) {
    const port = blockStart + (cursor % BLOCK_SIZE);
    cursor += 1;
    if (RESERVED_PORTS.has(port) || handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port left in ${blockStart}-${blockStart + BLOCK_SIZE - 1}`);
}
