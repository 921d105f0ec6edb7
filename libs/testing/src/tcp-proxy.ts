import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { RedisEndpoint } from './redis-command';

/** One client connection and its upstream twin. */
interface RelayedPair {
  client: Socket;
  upstream: Socket;
}

/**
 * A loopback TCP proxy in front of one endpoint, to stage network faults that a process signal
 * cannot: {@link freezeExisting} makes every open connection go silent without closing it (no FIN,
 * no RST: a NAT or firewall that forgot the connection), while new connections are relayed as usual.
 *
 * @example
 * const proxy = await TcpProxy.start(server.endpoint);
 * // connect the application to proxy.port …
 * proxy.freezeExisting();
 * await proxy.stop();
 */
export class TcpProxy {
  readonly host = '127.0.0.1';
  private readonly pairs = new Set<RelayedPair>();
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly target: RedisEndpoint,
  ) {}

  /** Listens on a free loopback port and relays every connection to `target`. */
  static async start(target: RedisEndpoint): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    server.on('connection', (client: Socket) => proxy.relay(client));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  /** The port the proxy listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections accepted since start. */
  get connectionsAccepted(): number {
    return this.accepted;
  }

  /** Connections currently open. */
  get openConnections(): number {
    return this.pairs.size;
  }

  /**
   * Every open connection stops relaying in both directions and stays open: what is sent is never
   * answered, and no side learns the connection is gone. Connections made afterwards work.
   */
  freezeExisting(): void {
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Closes the listener and every connection. */
  async stop(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    this.accepted += 1;
    const upstream = createConnection({ host: this.target.host, port: this.target.port });
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
