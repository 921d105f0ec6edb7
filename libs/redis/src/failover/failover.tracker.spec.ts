import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { REDIS_FAILOVER_CHANNEL } from '../tracing/redis-channels';
import type { FailoverRecord, SentinelEvent } from './failover.interfaces';
import { FailoverTracker } from './failover.tracker';

const S1 = { host: '127.0.0.1', port: 26379 };
const S2 = { host: '127.0.0.1', port: 26380 };
const S3 = { host: '127.0.0.1', port: 26381 };

describe('FailoverTracker', () => {
  let now: number;
  let tracker: FailoverTracker;
  let failovers: FailoverRecord[];
  let events: SentinelEvent[];

  beforeEach(() => {
    now = 1_000_000;
    tracker = new FailoverTracker('mymaster', { now: () => now, dedupWindowMs: 5000, historySize: 3 });
    failovers = [];
    events = [];
    tracker.failovers$.subscribe((f) => failovers.push(f));
    tracker.events$.subscribe((e) => events.push(e));
    tracker.observeMaster({ host: '10.0.0.1', port: 6379 });
  });

  it('starts from the master first observed, without counting a failover', () => {
    expect(tracker.snapshot()).toEqual({
      currentMaster: { host: '10.0.0.1', port: 6379 },
      failoverCount: 0,
      lastFailover: null,
      history: [],
    });
  });

  it('counts one failover when three sentinels report the same switch', () => {
    const switchMessage = 'mymaster 10.0.0.1 6379 10.0.0.2 6379';
    for (const sentinel of [S1, S2, S3]) tracker.handleEvent('+switch-master', switchMessage, sentinel);
    expect(tracker.snapshot().failoverCount).toBe(1);
    expect(failovers).toHaveLength(1);
    expect(events.filter((e) => e.type === '+switch-master')).toHaveLength(1);
  });

  it('publishes each counted failover, once, on the sentinel-kit:redis:failover channel', () => {
    const published: unknown[] = [];
    const listener = (message: unknown) => published.push(message);
    subscribe(REDIS_FAILOVER_CHANNEL.name, listener);
    try {
      for (const sentinel of [S1, S2])
        tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', sentinel);
    } finally {
      unsubscribe(REDIS_FAILOVER_CHANNEL.name, listener);
    }
    expect(published).toEqual(failovers);
    expect(published).toHaveLength(1);
  });

  it('counts a late duplicate (outside the window) of a switch already applied only once', () => {
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', S1);
    now += 60_000;
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', S2);
    expect(tracker.snapshot().failoverCount).toBe(1);
  });

  it('records from, to and the duration since the first sign of trouble', () => {
    tracker.handleEvent('+sdown', 'master mymaster 10.0.0.1 6379', S1);
    now += 400;
    tracker.handleEvent('+odown', 'master mymaster 10.0.0.1 6379 #quorum 2/2', S1);
    now += 1100;
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6380', S2);
    expect(tracker.snapshot().lastFailover).toEqual({
      at: new Date(now),
      from: { host: '10.0.0.1', port: 6379 },
      shard: null,
      to: { host: '10.0.0.2', port: 6380 },
      durationMs: 1500,
      source: 'switch-master',
    });
    expect(tracker.snapshot().currentMaster).toEqual({ host: '10.0.0.2', port: 6380 });
  });

  it('counts a second, different switch as the second failover', () => {
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', S1);
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.2 6379 10.0.0.3 6379', S1);
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.2 6379 10.0.0.3 6379', S3);
    expect(tracker.snapshot().failoverCount).toBe(2);
    expect(tracker.snapshot().lastFailover?.to).toEqual({ host: '10.0.0.3', port: 6379 });
  });

  it('ignores events about other masters', () => {
    tracker.handleEvent('+switch-master', 'othermaster 10.0.0.1 6379 10.0.0.2 6379', S1);
    tracker.handleEvent('+sdown', 'master othermaster 10.0.0.9 6379', S1);
    tracker.handleEvent('+sdown', 'slave 10.0.0.7:6379 10.0.0.7 6379 @ othermaster 10.0.0.9 6379', S1);
    expect(tracker.snapshot().failoverCount).toBe(0);
    expect(events).toHaveLength(0);
  });

  it('publishes replica events and TILT notices, once each', () => {
    tracker.handleEvent('+sdown', 'slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379', S1);
    tracker.handleEvent('+sdown', 'slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379', S2);
    tracker.handleEvent('+tilt', '#tilt mode entered', S3);
    expect(events.map((e) => [e.type, e.reportedBy])).toEqual([
      ['+sdown', S1],
      ['+tilt', S3],
    ]);
  });

  it('counts +odown once although each sentinel appends its own quorum count', () => {
    tracker.handleEvent('+odown', 'master mymaster 10.0.0.1 6379 #quorum 2/2', S1);
    tracker.handleEvent('+odown', 'master mymaster 10.0.0.1 6379 #quorum 3/2', S2);
    expect(events.map((e) => [e.type, e.message])).toEqual([['+odown', 'master mymaster 10.0.0.1 6379 #quorum 2/2']]);
  });

  it('counts a change noticed only by polling, with an unknown duration', () => {
    expect(tracker.observeMaster({ host: '10.0.0.1', port: 6379 })).toBe(false);
    expect(tracker.observeMaster({ host: '10.0.0.2', port: 6379 })).toBe(true);
    expect(tracker.snapshot().lastFailover).toMatchObject({
      source: 'poll',
      durationMs: null,
      from: { host: '10.0.0.1', port: 6379 },
      shard: null,
    });
    tracker.handleEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379', S1);
    expect(tracker.snapshot().failoverCount).toBe(1);
  });

  it('counts each cluster shard apart: a new primary is a failover of that shard, timed from its first trouble', () => {
    const A = { host: '10.0.1.1', port: 7000 };
    const B = { host: '10.0.1.2', port: 7001 };
    tracker.observeShardPrimary('0-5460', A);
    tracker.observeShardPrimary('5461-10922', B);
    tracker.observeShardPrimary('0-5460', A);
    expect(failovers).toEqual([]);

    tracker.observeShardTrouble('0-5460');
    now += 700;
    tracker.observeShardTrouble('0-5460'); // the clock runs from the first sign
    now += 800;
    const promoted = { host: '10.0.1.3', port: 7002 };
    tracker.observeShardPrimary('0-5460', promoted);
    expect(failovers).toEqual([
      { at: new Date(now), from: A, to: promoted, durationMs: 1500, source: 'cluster', shard: '0-5460' },
    ]);
    expect(tracker.snapshot()).toMatchObject({ failoverCount: 1, currentMaster: { host: '10.0.0.1', port: 6379 } });

    // The cluster names the dead primary until it marks it failed: the clock keeps running.
    tracker.observeShardTrouble('5461-10922');
    now += 1000;
    tracker.observeShardPrimary('5461-10922', B);
    now += 1000;
    tracker.observeShardPrimary('5461-10922', A);
    expect(failovers[1]).toMatchObject({ shard: '5461-10922', durationMs: 2000 });

    // Trouble that passed long before without a new primary starts no clock for the next failover.
    tracker.observeShardTrouble('5461-10922');
    now += 31_000;
    tracker.observeShardPrimary('5461-10922', A);
    now += 1000;
    tracker.observeShardPrimary('5461-10922', B);
    expect(failovers[2]).toMatchObject({ shard: '5461-10922', durationMs: null });
  });

  it('keeps a bounded history, oldest first', () => {
    for (let i = 2; i <= 6; i += 1) tracker.observeMaster({ host: `10.0.0.${i}`, port: 6379 });
    const { history, failoverCount } = tracker.snapshot();
    expect(failoverCount).toBe(5);
    expect(history.map((h) => h.to.host)).toEqual(['10.0.0.4', '10.0.0.5', '10.0.0.6']);
  });
});
