import Redis, { SentinelConnector } from 'ioredis';

/** Drops an error of a socket that already reported one. */
function ignoreLaterError(): void {}

/**
 * Keeps `client`'s sockets from ending the process with a second `error`. ioredis listens for a
 * socket's `error` with `once` (redis/ioredis#961): a TLS socket can fail twice in a row (its
 * certificate check, then the server's alert, emitted directly by Node's TLS layer), and the second
 * becomes an unhandled `error` event. Every socket the client is given also gets a listener of
 * its own: the first error still reaches ioredis, which closes the connection; later ones of that
 * socket are dropped. Call it right after creating the client, before it connects.
 */
export function guardSocketErrors<T extends Redis>(client: T): T {
  let socket: Redis['stream'] | undefined;
  Object.defineProperty(client, 'stream', {
    configurable: true,
    enumerable: true,
    get: () => socket,
    set: (next: Redis['stream'] | undefined) => {
      next?.on('error', ignoreLaterError);
      socket = next;
    },
  });
  return client;
}

type SentinelClientFactory = (this: SentinelConnector, ...args: unknown[]) => Redis;

/**
 * ioredis' Sentinel connector, whose own connections to the sentinels (to ask for the primary)
 * are guarded like the data connections: they meet the same TLS failures. Passed as the data
 * clients' `Connector` in Sentinel mode (ioredis then skips only its failover detector's events,
 * which we turn off).
 */
export class GuardedSentinelConnector extends SentinelConnector {
  /** ioredis hands a `Connector` its client's options, which in Sentinel mode are a Sentinel connector's. */
  constructor(options: unknown) {
    super(options as ConstructorParameters<typeof SentinelConnector>[0]);
  }
}

// `connectToSentinel` is private in ioredis' types; its tests fail if it is renamed.
const prototype = SentinelConnector.prototype as unknown as { connectToSentinel: SentinelClientFactory };
const connectToSentinel = prototype.connectToSentinel;
(GuardedSentinelConnector.prototype as unknown as { connectToSentinel: SentinelClientFactory }).connectToSentinel =
  function (this: SentinelConnector, ...args: unknown[]): Redis {
    return guardSocketErrors(connectToSentinel.apply(this, args));
  };
