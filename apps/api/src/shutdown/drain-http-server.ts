import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How often idle keep-alive connections are closed while draining. */
const SWEEP_INTERVAL_MS = 50;

/** How a drain ended. */
export interface DrainResult {
  /** True when every connection ended by itself; false when some were cut at the deadline. */
  drained: boolean;
  tookMs: number;
}

/**
 * Stops accepting connections and lets the open ones finish: responses from now on carry
 * `Connection: close`, idle keep-alive connections are closed as soon as they are idle, and
 * whatever is still open after `graceMs` is cut.
 */
export function drainHttpServer(server: Server, graceMs: number): Promise<DrainResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const closeAfterResponse = (_request: IncomingMessage, response: ServerResponse): void => {
      response.setHeader('Connection', 'close');
    };
    let finished = false;
    const finish = (drained: boolean): void => {
      if (finished) return;
      finished = true;
      clearInterval(sweep);
      clearTimeout(deadline);
      server.off('request', closeAfterResponse);
      resolve({ drained, tookMs: Math.round(performance.now() - started) });
    };
    server.prependListener('request', closeAfterResponse);
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_INTERVAL_MS);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish(false);
    }, graceMs);
    server.close(() => finish(true));
  });
}
