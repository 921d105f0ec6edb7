import Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { guardSocketErrors, GuardedSentinelConnector } from './socket-error-guard';

/** A socket that fails twice, as a TLS socket can (its certificate check, then the server's alert). */
function failTwice(client: Redis): void {
  const socket = new EventEmitter();
  // ioredis' own listener, which it registers with `once`.
  socket.once('error', () => undefined);
  client.stream = socket as unknown as Redis['stream'];
  expect(client.stream).toBe(socket);
  socket.emit('error', new Error('Hostname/IP does not match certificate'));
  socket.emit('error', new Error('tlsv1 alert decode error'));
}

describe('guardSocketErrors', () => {
  it('keeps a second error of a socket from being thrown as an unhandled error event', () => {
    const client = guardSocketErrors(new Redis({ lazyConnect: true }));
    expect(() => failTwice(client)).not.toThrow();
  });

  it('guards the connections that ioredis makes to the sentinels for a Sentinel-mode client', () => {
    const connector = new GuardedSentinelConnector({ sentinels: [{ host: '127.0.0.1', port: 1 }], name: 'mymaster' });
    const sentinelClient = (
      connector as unknown as { connectToSentinel(endpoint: object, options: object): Redis }
    ).connectToSentinel({ host: '127.0.0.1', port: 1 }, { lazyConnect: true });
    expect(() => failTwice(sentinelClient)).not.toThrow();
  });
});
