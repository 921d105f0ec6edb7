import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule } from '@sentinel-kit/redis';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { startWrites, type RecordedOperation, type WorkloadTarget } from '@sentinel-kit/test-support';
import Redis from 'ioredis';
import { median } from '../measure';
import type { BenchResult } from '../scenario';

/** Writers per contender: a steady load, not a saturating one. */
const WRITERS = 4;
/** Sentinel's down-after: the shortest that does not cause spurious failovers on a loaded machine. */
const DOWN_AFTER_MS = 2000;
/** After both contenders wrote again, keep writing this long, to catch slow stragglers. */
const TAIL_MS = 1000;

/** One contender: a name and a way to write a key. */
interface Writer {
  name: string;
  write: (key: string) => Promise<unknown>;
}

/** What one contender saw in one trial. */
interface TrialOutcome {
  firstWriteAfterKillMs: number;
  failedWrites: number;
  longestWriteMs: number;
}

/** `WRITERS` loops of unique-key writes by `writer` (the chaos suite's workload), until `stop()`. */
function steadyLoad(writer: Writer, trial: number) {
  // Any rejection is a failed write here; the chaos suite is where unknown outcomes are told apart.
  const target: WorkloadTarget = { write: (key) => writer.write(key), classify: () => 'failed' };
  return startWrites(target, `bench:${writer.name}:${trial}`, WRITERS);
}

function outcome(operations: readonly RecordedOperation[], killedAt: number): TrialOutcome {
  const acknowledged = operations.filter((op) => op.outcome === 'ok');
  return {
    firstWriteAfterKillMs:
      acknowledged.filter((op) => op.start >= killedAt).reduce((min, op) => Math.min(min, op.end), Infinity) - killedAt,
    failedWrites: operations.length - acknowledged.length,
    longestWriteMs: operations.reduce((max, op) => Math.max(max, op.end - op.start), 0),
  };
}

/** Whether a write started at or after `since` was acknowledged. */
function wroteSince(operations: readonly RecordedOperation[], since: number): boolean {
  return operations.some((op) => op.outcome === 'ok' && op.start >= since);
}

/**
 * SIGKILL of the primary under a steady write load, `trials` times (medians): the time from the
 * kill to Sentinel's `+switch-master` (the floor no client can beat), and from the kill to the first
 * successful write, failed writes and the longest write, for our cache service (fallback off, so a
 * success is a write Redis took) and for a plain ioredis Sentinel client with default options.
 */
export async function failoverResults(trials: number, log: (line: string) => void): Promise<BenchResult[]> {
  const topology = await SentinelTopology.start({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: 5000 });
  const sentinels = topology.sentinels.map(({ host, port }) => ({ host, port }));
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ sentinel: { sentinels }, fallback: { enabled: false } })],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const cache = app.get(RedisCacheService);
  const plain = new Redis({ sentinels, name: topology.masterName });
  plain.on('error', () => undefined);
  // Every sentinel, since the first to announce the switch may be any of them (the others learn it later).
  const watchers = sentinels.map(({ host, port }) => new Redis({ host, port }));
  let switchedAt = 0;
  for (const watcher of watchers) watcher.on('message', () => (switchedAt ||= performance.now()));
  await Promise.all(watchers.map((watcher) => watcher.subscribe('+switch-master')));

  const contenders: Writer[] = [
    { name: 'ours', write: (key) => cache.set(key, '1') },
    { name: 'ioredis', write: (key) => plain.set(key, '1') },
  ];
  const seen: Record<string, TrialOutcome[]> = { ours: [], ioredis: [] };
  const floors: number[] = [];
  try {
    for (let trial = 0; trial < trials; trial += 1) {
      const loads = contenders.map((c) => steadyLoad(c, trial));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const old = await topology.primary();
      switchedAt = 0;
      await old.kill();
      const killedAt = performance.now();
      await waitFor(() => switchedAt > 0 && loads.every((load) => wroteSince(load.operations, killedAt)), {
        description: 'the switch and a write by every contender',
        timeoutMs: 60_000,
      });
      await new Promise((resolve) => setTimeout(resolve, TAIL_MS));
      await Promise.all(loads.map((l) => l.stop()));
      floors.push(switchedAt - killedAt);
      contenders.forEach((c, i) => seen[c.name].push(outcome(loads[i].operations, killedAt)));
      log(
        `  trial ${trial + 1}: +switch-master ${Math.round(switchedAt - killedAt)} ms; ` +
          contenders
            .map((c) => {
              const o = seen[c.name].at(-1)!;
              return `${c.name}: first write ${Math.round(o.firstWriteAfterKillMs)} ms, ${o.failedWrites} failed, longest ${Math.round(o.longestWriteMs)} ms`;
            })
            .join('; '),
      );
      await old.start();
      await topology.waitUntilSettled(2);
    }
  } finally {
    for (const watcher of watchers) watcher.disconnect();
    plain.disconnect();
    await app.close();
    await topology.stop();
  }
  const m = (name: string, field: keyof TrialOutcome) => median(seen[name].map((o) => o[field]));
  const floor = median(floors);
  const row = (
    name: string,
    unit: string,
    ours: number,
    peer: number,
    peerName: string,
    ratio: number,
  ): BenchResult => ({
    name,
    unit,
    ours: Math.round(ours),
    peer: Math.round(peer),
    peerName,
    ratio: Number(ratio.toFixed(3)),
    rounds: trials,
  });
  const plainName = 'ioredis Sentinel client, default options';
  return [
    row(
      'failover: kill to first write',
      'ms',
      m('ours', 'firstWriteAfterKillMs'),
      floor,
      'Sentinel +switch-master (the floor)',
      floor / m('ours', 'firstWriteAfterKillMs'),
    ),
    row(
      'failover: kill to first write',
      'ms',
      m('ours', 'firstWriteAfterKillMs'),
      m('ioredis', 'firstWriteAfterKillMs'),
      plainName,
      m('ioredis', 'firstWriteAfterKillMs') / m('ours', 'firstWriteAfterKillMs'),
    ),
    // Counts can be 0: the ratio compares them plus one.
    row(
      'failover: failed writes',
      'writes',
      m('ours', 'failedWrites'),
      m('ioredis', 'failedWrites'),
      plainName,
      (m('ioredis', 'failedWrites') + 1) / (m('ours', 'failedWrites') + 1),
    ),
    row(
      'failover: longest single write',
      'ms',
      m('ours', 'longestWriteMs'),
      m('ioredis', 'longestWriteMs'),
      plainName,
      m('ioredis', 'longestWriteMs') / m('ours', 'longestWriteMs'),
    ),
  ];
}
