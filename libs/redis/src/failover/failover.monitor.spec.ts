import type { RedisTopology } from '../client/topology/redis-topology';
import type { TopologyObserver } from '../client/topology/topology-views';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import { FailoverMonitor } from './failover.monitor';
import { FailoverTracker } from './failover.tracker';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import { RedisTracing } from '../tracing/redis-tracing';

const A = { host: '10.0.0.1', port: 6379 };
const B = { host: '10.0.0.2', port: 6379 };
const SENTINEL = { host: '10.0.0.1', port: 26379 };

/** A topology whose watch is driven by the test through the observer it was given. */
class FakeTopology {
  observer?: TopologyObserver;
  followed: RedisNodeAddress[] = [];
  watching = false;

  watch(observer: TopologyObserver): Promise<void> {
    this.observer = observer;
    this.watching = true;
    return Promise.resolve();
  }
  unwatch(): void {
    this.watching = false;
  }
  followPrimary(primary: RedisNodeAddress): Promise<void> {
    this.followed.push(primary);
    return Promise.resolve();
  }
}

async function started() {
  const topology = new FakeTopology();
  const tracker = new FailoverTracker('mymaster');
  const monitor = new FailoverMonitor(
    topology as unknown as RedisTopology,
    tracker,
    new RedisTracing(resolveRedisOptions({})),
  );
  await monitor.onModuleInit();
  return { topology, tracker, monitor, observer: topology.observer! };
}

describe('FailoverMonitor', () => {
  it('starts the watch, and reports the first primary named as the starting point, not a failover', async () => {
    const { topology, tracker, observer } = await started();
    expect(topology.watching).toBe(true);
    expect(observer.primaryNamed(A)).toBe(false);
    expect(observer.primaryNamed(A)).toBe(false);
    expect(tracker.snapshot()).toMatchObject({ currentMaster: A, failoverCount: 0 });
    expect(topology.followed).toEqual([]);
  });

  it('counts a primary named differently as a failover and moves the clients to it', async () => {
    const { topology, tracker, observer } = await started();
    observer.primaryNamed(A);
    expect(observer.primaryNamed(B)).toBe(true);
    expect(tracker.snapshot()).toMatchObject({ currentMaster: B, failoverCount: 1 });
    expect(tracker.snapshot().history[0]).toMatchObject({ from: A, to: B, source: 'poll' });
    expect(topology.followed).toEqual([B]);
  });

  it('passes sentinel events to the tracker: a +switch-master moves the clients once, however many sentinels report it', async () => {
    const { topology, tracker, observer } = await started();
    observer.primaryNamed(A);
    const events: string[] = [];
    tracker.events$.subscribe((event) => events.push(event.type));
    for (const port of [26379, 26380, 26381]) {
      observer.sentinelEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', { ...SENTINEL, port });
    }
    expect(events).toEqual(['+switch-master']);
    expect(topology.followed).toEqual([B]);
    expect(tracker.snapshot().failoverCount).toBe(1);
  });

  it('stops the watch and completes the tracker at shutdown', async () => {
    const { topology, tracker, monitor } = await started();
    let completed = false;
    tracker.failovers$.subscribe({ complete: () => (completed = true) });
    monitor.onApplicationShutdown();
    expect(topology.watching).toBe(false);
    expect(completed).toBe(true);
  });
});
