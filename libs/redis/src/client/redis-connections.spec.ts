import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import type { RedisClientFactory } from './redis-client.factory';
import { RedisConnections } from './redis-connections';

/** What RedisConnections uses of a client: its status, connect, quit and disconnect, and events. */
class FakeClient extends EventEmitter {
  status = 'wait';
  connects = 0;
  quits = 0;
  disconnects = 0;

  constructor(
    readonly name: string,
    private readonly reachable = true,
  ) {
    super();
  }

  connect(): Promise<void> {
    this.connects += 1;
    this.status = 'connecting';
    if (!this.reachable) return Promise.reject(new Error('ECONNREFUSED'));
    queueMicrotask(() => {
      this.status = 'ready';
      this.emit('ready');
    });
    return Promise.resolve();
  }

  quit(): Promise<'OK'> {
    this.quits += 1;
    this.status = 'end';
    this.emit('end');
    return Promise.resolve('OK');
  }

  disconnect(): void {
    this.disconnects += 1;
    this.status = 'end';
    this.emit('end');
  }
}

/** A factory handing out fake clients, and a record of what it made. */
function fakeFactory(reachable = true) {
  const made: FakeClient[] = [];
  const make = (name: string, canReach = reachable): FakeClient => {
    const client = new FakeClient(name, canReach);
    made.push(client);
    return client;
  };
  const factory: RedisClientFactory = {
    clients: (options) => {
      const write = make('write');
      const read = options.mode === 'sentinel' && options.sentinel.readFromReplicas ? make('read') : write;
      return { write, read } as unknown as { write: Redis; read: Redis };
    },
    primaryClient: (_options, purpose) => make(purpose) as unknown as Redis,
    sentinelConnections: (options) =>
      options.sentinel.sentinels.map((address, index) => ({
        address,
        label: `${address.host}:${address.port}`,
        commands: make(`sentinel-${index}`, true) as unknown as Redis,
        events: make(`sentinel-${index}-events`, true) as unknown as Redis,
      })),
    nodeClient: (_options, address) => make(`node ${address.port}`) as unknown as Redis,
  };
  return { factory, made, byName: (name: string) => made.find((client) => client.name === name)! };
}

const standalone = resolveRedisOptions({});
const sentinel = resolveRedisOptions({
  sentinel: {
    masterName: 'mymaster',
    sentinels: [1, 2, 3].map((n) => ({ host: '10.0.0.1', port: 26378 + n })),
  },
});

function connectionsOver(options: ResolvedRedisOptions, reachable = true) {
  const fakes = fakeFactory(reachable);
  return { connections: new RedisConnections(options, fakes.factory), ...fakes };
}

describe('RedisConnections', () => {
  afterEach(() => jest.useRealTimers());

  it('uses one client for reads and writes in standalone mode, and opens no sentinel connection', () => {
    const { connections, made } = connectionsOver(standalone);
    expect(connections.read).toBe(connections.write);
    expect(connections.sentinels).toEqual([]);
    expect(connections.allClients()).toHaveLength(1);
    expect(made).toHaveLength(1);
  });

  it('opens a read client and two connections per sentinel in Sentinel mode', () => {
    const { connections } = connectionsOver(sentinel);
    expect(connections.read).not.toBe(connections.write);
    expect(connections.sentinels.map((s) => s.label)).toEqual(['10.0.0.1:26379', '10.0.0.1:26380', '10.0.0.1:26381']);
    expect(connections.allClients()).toHaveLength(2 + 3 * 2);
  });

  it('connects every client once, however often connect() is called, and waits for the data clients', async () => {
    const { connections, made } = connectionsOver(sentinel);
    await Promise.all([connections.connect(), connections.onModuleInit(), connections.connect()]);
    expect(made.map((client) => client.connects)).toEqual(made.map(() => 1));
    expect(connections.write.status).toBe('ready');
    expect(connections.read.status).toBe('ready');
  });

  it('starts degraded, without failing, when the primary is unreachable for startupWaitMs', async () => {
    jest.useFakeTimers();
    const { connections } = connectionsOver(standalone, false);
    let settled = false;
    const connecting = connections.connect().then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(REDIS_DEFAULTS.startupWaitMs - 1);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await connecting;
    expect(settled).toBe(true);
    expect(connections.write.status).toBe('connecting');
  });

  it('shares one extra primary client per purpose, connected once the module connects', async () => {
    const { connections, byName } = connectionsOver(standalone);
    const early = connections.primaryClient('durable');
    expect(connections.primaryClient('durable')).toBe(early);
    await connections.connect();
    expect(byName('durable').connects).toBe(1);
    const late = connections.primaryClient('subscriber');
    expect(byName('subscriber').connects).toBe(1);
    expect(connections.primaries()).toEqual([connections.write, early, late]);
  });

  it('closes everything at shutdown: quits ready clients, disconnects the rest and any pinned node client', async () => {
    const { connections, byName, made } = connectionsOver(sentinel);
    await connections.connect();
    const pinned = connections.nodeClient({ host: '10.0.0.9', port: 6390 }, 'switchover');
    const released = connections.nodeClient({ host: '10.0.0.9', port: 6391 }, 'switchover');
    released.disconnect();
    byName('sentinel-2').status = 'reconnecting';
    expect(connections.closed.aborted).toBe(false);

    await connections.onApplicationShutdown();

    expect(connections.closed.aborted).toBe(true);
    expect(byName('write').quits).toBe(1);
    expect(byName('sentinel-2')).toMatchObject({ quits: 0, disconnects: 1 });
    expect((pinned as unknown as FakeClient).disconnects).toBe(1);
    expect((released as unknown as FakeClient).disconnects).toBe(1);
    expect(made.every((client) => client.status === 'end')).toBe(true);
  });
});
