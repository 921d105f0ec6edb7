import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisUnavailableError } from '@sentinel-kit/redis';
import {
  RedisLockBusyError,
  RedisLockLostError,
  RedisLockService,
  WithLock,
  type RedisLock,
} from '@sentinel-kit/redis/locks';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { startLockApp, type LockTestApp } from './lock-test-app';
import { standaloneOptions } from './redis-test-app';

/** A service whose method runs under a lock, as an app writes it. */
@Injectable()
class InvoiceSender {
  readonly fences: number[] = [];
  running = 0;
  mostAtOnce = 0;

  constructor(readonly locks: RedisLockService) {}

  @WithLock((invoice: string) => `invoice:${invoice}`, { waitMs: 10_000, ttlMs: 2000 })
  async send(invoice: string): Promise<number> {
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    await sleep(10);
    this.running -= 1;
    const fence = this.locks.heldLock(`invoice:${invoice}`)!.fence;
    this.fences.push(fence);
    return fence;
  }
}

/** Locks on a standalone redis-server: exclusivity, fences, owner checks, renewal, waiting, the decorator. */
describe('RedisLockService on a standalone Redis', () => {
  let redis: { server: RedisServerProcess; dispose: () => Promise<void> };
  let subject: LockTestApp;
  let locks: RedisLockService;
  const held: RedisLock[] = [];
  const take = async (name: string, options = {}) => {
    const lock = await locks.acquire(name, options);
    held.push(lock);
    return lock;
  };

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    subject = await startLockApp(standaloneOptions(redis.server.port), {}, [InvoiceSender]);
    locks = subject.locks;
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((lock) => lock.release().catch(() => false)));
  });
  afterAll(async () => {
    await subject?.app.close();
    await redis?.dispose();
  });

  it('grants a name to one holder at a time, with a fence that grows with every grant', async () => {
    const first = await take('report');
    await expect(locks.acquire('report')).rejects.toBeInstanceOf(RedisLockBusyError);
    expect(await locks.tryAcquire('report')).toBeNull();
    expect(await first.release()).toBe(true);
    const second = await take('report');
    expect(second.fence).toBe(first.fence + 1);
    expect(await sendCommand(redis.server.endpoint, 'GET', ['app:lock:{report}'])).toBe(second.value);
    expect(await sendCommand(redis.server.endpoint, 'GET', ['app:lock:{report}:fence'])).toBe(String(second.fence));
    // Another name has fences of its own.
    expect((await take('other')).fence).toBe(1);
  });

  it('waits for a holder to release, up to waitMs', async () => {
    const first = await take('queue', { ttlMs: 10_000 });
    setTimeout(() => void first.release(), 200);
    const started = performance.now();
    const second = await take('queue', { waitMs: 5000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(second.fence).toBe(first.fence + 1);
    const busy = await locks.acquire('queue', { waitMs: 300 }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(RedisLockBusyError);
  });

  it('checks the holder: an expired grant can neither release nor extend its successor', async () => {
    const stale = await take('expiring', { ttlMs: 150 });
    await waitFor(() => stale.signal.aborted, { description: 'the expired grant to abort its signal' });
    expect(stale.signal.reason).toBeInstanceOf(RedisLockLostError);
    const successor = await take('expiring', { ttlMs: 10_000 });
    expect(successor.fence).toBeGreaterThan(stale.fence);
    expect(await stale.release()).toBe(false);
    await expect(stale.extend()).rejects.toBeInstanceOf(RedisLockLostError);
    expect(await sendCommand(redis.server.endpoint, 'GET', ['app:lock:{expiring}'])).toBe(successor.value);
    // A holder whose lock expired on Redis' side learns it on its next extension.
    const lapsed = await take('lapsing', { ttlMs: 10_000 });
    await sendCommand(redis.server.endpoint, 'DEL', ['app:lock:{lapsing}']);
    await expect(lapsed.extend()).rejects.toBeInstanceOf(RedisLockLostError);
    expect(lapsed.signal.aborted).toBe(true);
  });

  it('renews a lock while it is held, and frees it on release', async () => {
    const renewed = await take('long-job', { ttlMs: 300, autoRenew: true });
    await sleep(1000);
    expect(renewed.held).toBe(true);
    expect(await locks.tryAcquire('long-job')).toBeNull();
    const ttl = Number(await sendCommand(redis.server.endpoint, 'PTTL', ['app:lock:{long-job}']));
    expect(ttl).toBeGreaterThan(0);
    expect(await renewed.release()).toBe(true);
    expect(renewed.signal.aborted).toBe(true);
    expect((await take('long-job')).fence).toBe(renewed.fence + 1);
  });

  it('runs @WithLock methods one at a time across concurrent calls, with the fence at hand', async () => {
    const sender = subject.app.get(InvoiceSender);
    const fences = await Promise.all(Array.from({ length: 20 }, () => sender.send('42')));
    expect(sender.mostAtOnce).toBe(1);
    expect(new Set(fences).size).toBe(20);
    // In the order the holders ran, each fence is higher than the one before.
    expect(sender.fences).toEqual([...sender.fences].sort((a, b) => a - b));
    expect(await sendCommand(redis.server.endpoint, 'EXISTS', ['app:lock:{invoice:42}'])).toBe(0);
  });

  it('refuses bad names and times with a RangeError, before asking Redis', async () => {
    await expect(locks.acquire('a{b}')).rejects.toThrow(RangeError);
    await expect(locks.acquire('')).rejects.toThrow(RangeError);
    await expect(locks.acquire('ok', { ttlMs: 10 })).rejects.toThrow('ttlMs must be an integer from 100 to 86400000');
    await expect(locks.acquire('ok', { waitMs: -1 })).rejects.toThrow(RangeError);
  });

  it('never grants from memory: with Redis gone, acquire fails with RedisUnavailableError, in bounded time', async () => {
    await redis.server.kill();
    try {
      const started = performance.now();
      await expect(locks.acquire('while-down')).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await redis.server.start();
    }
    await waitFor(() => locks.tryAcquire('after-restart').then((lock) => lock !== null && held.push(lock) > 0), {
      description: 'locks to be granted again',
    });
  });
});
