import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainHttpServer } from './drain-http-server';

/** Timers of slow answers still pending, cleared after each test so that nothing outlives it. */
const pending = new Set<NodeJS.Timeout>();
afterEach(() => {
  for (const timer of pending) clearTimeout(timer);
  pending.clear();
});

/** A server whose `/slow` answers after `ms`, and everything else at once. */
async function startServer(slowMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url !== '/slow') return void res.end('fast');
    const timer = setTimeout(() => {
      pending.delete(timer);
      res.end('slow done');
    }, slowMs);
    pending.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** GET with a keep-alive agent; resolves to status and body, or to the error code. */
function get(port: number, path: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe('drainHttpServer', () => {
  it('refuses new connections, lets the in-flight request finish, closes idle keep-alive connections', async () => {
    const { server, port } = await startServer(500);
    expect(await get(port, '/fast')).toMatchObject({ status: 200 });
    const inFlight = get(port, '/slow');
    await sleep(50);
    const draining = drainHttpServer(server, 5000);
    expect(await get(port, '/fast')).toEqual({ error: 'ECONNREFUSED' });
    expect(await inFlight).toMatchObject({ status: 200, body: 'slow done' });
    const result = await draining;
    expect(result.drained).toBe(true);
    expect(result.tookMs).toBeLessThan(2000);
  });

  it('cuts what is still open when the grace period ends', async () => {
    const { server, port } = await startServer(5000);
    const inFlight = get(port, '/slow');
    await sleep(50);
    const result = await drainHttpServer(server, 200);
    expect(result.drained).toBe(false);
    expect((await inFlight).error).toBe('ECONNRESET');
  });
});
