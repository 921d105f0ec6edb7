import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { SecretRedactor } from '../../errors/secret-redactor';
import { resolveRedisOptions } from '../../options/resolve-redis-options';
import type { ResolvedSentinelOptions } from '../../options/resolved-redis-options.interface';
import type { RedisConnections } from '../redis-connections';
import { SentinelWatch } from './sentinel-watch';

const NEW_PRIMARY = { host: '10.0.0.2', port: 6379 };

/** A primary client as the watch sees it: a status, its socket's peer, and the calls it may make. */
class FakePrimaryClient extends EventEmitter {
  disconnects: boolean[] = [];
  connects = 0;
  stream: { remoteAddress?: string; remotePort?: number };

  constructor(
    public status: string,
    peer: { host: string; port: number },
  ) {
    super();
    this.stream = { remoteAddress: peer.host, remotePort: peer.port };
  }
  disconnect(reconnect = false): void {
    this.disconnects.push(reconnect);
  }
  connect(): Promise<void> {
    this.connects += 1;
    return Promise.resolve();
  }
}

function watchOver(clients: FakePrimaryClient[], natMap: Record<string, { host: string; port: number }> = {}) {
  const options = resolveRedisOptions({
    sentinel: { masterName: 'mymaster', sentinels: [1, 2, 3].map((n) => ({ host: '10.0.0.1', port: 26378 + n })) },
    natMap,
  }) as ResolvedSentinelOptions;
  const connections = {
    primaries: () => clients as unknown as Redis[],
    redactor: new SecretRedactor([]),
  } as unknown as RedisConnections;
  const logger = new Logger('test');
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  return new SentinelWatch(options, connections, logger, 500);
}

describe('SentinelWatch.followPrimary', () => {
  it('reconnects a ready client that is on another node, and leaves one on the primary', async () => {
    const misplaced = new FakePrimaryClient('ready', { host: '10.0.0.1', port: 6379 });
    const placed = new FakePrimaryClient('ready', NEW_PRIMARY);
    const watch = watchOver([misplaced, placed]);
    await watch.followPrimary(NEW_PRIMARY);
    expect(misplaced.disconnects).toEqual([true]);
    expect(placed.disconnects).toEqual([]);
    expect(watch.knownPrimary).toEqual(NEW_PRIMARY);
  });

  it('leaves a client that is connecting alone, though its old socket names the old primary', async () => {
    // Cutting a connect short ends an ioredis client for good: it would never reconnect.
    const connecting = new FakePrimaryClient('connecting', { host: '10.0.0.1', port: 6379 });
    const handshaking = new FakePrimaryClient('connect', { host: '10.0.0.1', port: 6379 });
    await watchOver([connecting, handshaking]).followPrimary(NEW_PRIMARY);
    expect(connecting.disconnects).toEqual([]);
    expect(handshaking.disconnects).toEqual([]);
  });

  it('makes a client waiting out its reconnect back-off try now', async () => {
    const waiting = new FakePrimaryClient('reconnecting', { host: '10.0.0.1', port: 6379 });
    await watchOver([waiting]).followPrimary(NEW_PRIMARY);
    expect(waiting.connects).toBe(1);
    expect(waiting.disconnects).toEqual([]);
  });

  it('judges placement by the address natMap dials for the announced primary', async () => {
    const natMap = { '10.0.0.2:6379': { host: '127.0.0.1', port: 16380 } };
    const throughMap = new FakePrimaryClient('ready', { host: '127.0.0.1', port: 16380 });
    const announced = new FakePrimaryClient('ready', NEW_PRIMARY);
    await watchOver([throughMap, announced], natMap).followPrimary(NEW_PRIMARY);
    expect(throughMap.disconnects).toEqual([]);
    expect(announced.disconnects).toEqual([true]);
  });
});
