import type { RedisModuleOptions, RedisSentinelOptions } from '@sentinel-kit/redis';
import { SentinelTopology, sendCommand, type CapturedLogger, type RedisServerProcess } from '@sentinel-kit/testing';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

/** Long enough that a loaded 2-core machine does not see spurious failovers (see REDIS-FAILURE-FACTS). */
export const DOWN_AFTER_MS = 2000;
export const COMMAND_TIMEOUT_MS = 500;
/** Slack for a loaded 2-core machine on top of the command timeout. */
export const SLACK_MS = 1000;
/** Longer than a failover here (down-after + ~1.3 s), shorter than the default, so the bound means something. */
export const WRITE_HOLD_MS = 5000;

/** What a suite on one shared Sentinel group uses. */
export interface SentinelGroupSuite {
  /** The group (1 primary, 2 replicas, 3 sentinels), started before the first test. */
  readonly topology: SentinelTopology;
  /** The group's sentinels, polled every second, with `overrides`. */
  sentinelOptions(overrides?: Partial<RedisSentinelOptions>): RedisSentinelOptions;
  /** A RedisModule on the group, closed after the test. */
  start(extra?: Partial<RedisModuleOptions>, logs?: CapturedLogger): Promise<RedisTestApp>;
  /** Closes `app` now, instead of after the test. */
  close(app: RedisTestApp): Promise<void>;
  /** Client list lines of one node (`id=… name=… cmd=…`). */
  clientList(node: RedisServerProcess): Promise<string[]>;
  /** Restarts every killed process and waits until the group is whole again. */
  heal(): Promise<void>;
}

/**
 * Registers the hooks of a suite that shares one Sentinel group: the group starts before the first
 * test; after each test its apps close, no "Unhandled error event" was printed, and the group is
 * healed; it stops after the last.
 */
export function useSentinelGroup(): SentinelGroupSuite {
  let topology: SentinelTopology | undefined;
  const apps: RedisTestApp[] = [];
  const consoleErrors: string[] = [];
  const group = (): SentinelTopology => {
    if (!topology) throw new Error('the Sentinel group is not started yet');
    return topology;
  };
  const suite: SentinelGroupSuite = {
    get topology() {
      return group();
    },
    sentinelOptions: (overrides = {}) => ({
      sentinels: group().sentinels.map(({ host, port }) => ({ host, port })),
      masterName: group().masterName,
      masterCheckIntervalMs: 1000,
      ...overrides,
    }),
    async start(extra = {}, logs) {
      const app = await startRedisModule(
        {
          sentinel: suite.sentinelOptions(),
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
          circuit: { probeIntervalMs: 100 },
          ...extra,
        },
        logs,
      );
      apps.push(app);
      return app;
    },
    async close(app) {
      apps.splice(apps.indexOf(app), 1);
      await app.app.close();
    },
    clientList: async (node) =>
      String(await sendCommand(node.endpoint, 'CLIENT', ['LIST']))
        .trim()
        .split('\n'),
    async heal() {
      for (const node of group().dataNodes) if (!node.running) await node.start();
      for (const sentinel of group().sentinels) if (!sentinel.running) await sentinel.start();
      await group().waitUntilSettled(2);
    },
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: 5000 });
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args.map(String).join(' '));
    });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    expect(consoleErrors.filter((line) => line.includes('Unhandled error event'))).toEqual([]);
    await suite.heal();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await topology?.stop();
  });
  return suite;
}
