import { setTimeout as sleep } from 'node:timers/promises';
import { sendCommand, waitFor } from '@sentinel-kit/testing';
import type { ChaosContext, ChaosRunResult, ChaosScenario, ChaosTarget } from './chaos.interfaces';
import { longestOutage, startWrites } from './write-workload';

/** How a run is shaped. */
export interface ChaosRunOptions {
  /** Concurrent writers. @default 4 */
  writers?: number;
  /** Writing before the fault. @default 1000 */
  beforeMs?: number;
  /** Writing after the group is whole again. @default 1000 */
  afterMs?: number;
}

/** `EXISTS` of each key (of any type), in one round trip. */
const EXISTS_EACH = `local found = {} for i, key in ipairs(KEYS) do found[i] = redis.call('EXISTS', key) end return found`;

/**
 * Waits until every replica of the primary has everything the primary had written when the wait
 * began. (Not "the same offset as the primary": keys expiring meanwhile keep the stream moving.)
 */
async function replicasCaughtUp(context: ChaosContext): Promise<void> {
  let goal: { port: number; offset: number } | undefined;
  await waitFor(
    async () => {
      const primary = await context.topology.primary(2000);
      const info = String(await sendCommand(primary.endpoint, 'INFO', ['replication'], 1000));
      const offset = Number(/^master_repl_offset:(\d+)/m.exec(info)?.[1]);
      if (goal?.port !== primary.port) goal = { port: primary.port, offset };
      const replicas = [...info.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((m) => Number(m[1]));
      return replicas.length > 0 && replicas.every((o) => o >= goal!.offset);
    },
    { description: 'the replicas to catch up with the primary', timeoutMs: 30_000, intervalMs: 100 },
  );
}

/**
 * Which of `keys` exist on the primary; then deletes them, so that runs do not pile up data (and
 * make every resync slower than the last).
 */
async function takePresentKeys(context: ChaosContext, keys: string[]): Promise<Set<string>> {
  const primary = await context.topology.primary();
  const present = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const found = (await sendCommand(
      primary.endpoint,
      'EVAL',
      [EXISTS_EACH, batch.length, ...batch],
      10_000,
    )) as number[];
    batch.forEach((key, j) => found[j] === 1 && present.add(key));
    await sendCommand(primary.endpoint, 'UNLINK', batch, 10_000);
  }
  return present;
}

/**
 * One run of one scenario, Jepsen-style: writers write unique keys (a cache key, or a login of a user
 * of its own) before, during and after the fault; once the sentinels agree and the replicas caught
 * up, every key is looked up on the primary.
 * An acknowledged write that is absent is lost; a write reported as failed that is present was
 * wrongly reported; unknown outcomes may go either way.
 */
export async function runChaosScenario(
  scenario: ChaosScenario,
  run: number,
  context: ChaosContext,
  target: ChaosTarget,
  options: ChaosRunOptions = {},
): Promise<ChaosRunResult> {
  await context.topology.waitUntilSettled();
  await replicasCaughtUp(context);
  const before = await context.topology.primary();
  const workload = startWrites(target, `chaos:${scenario.name}:${run}`, options.writers ?? 4);
  let observations: Record<string, boolean | number>;
  try {
    await sleep(options.beforeMs ?? 1000);
    observations = await scenario.inject(context);
    await context.topology.waitUntilSettled();
    await sleep(options.afterMs ?? 1000);
  } finally {
    await workload.stop();
  }
  await replicasCaughtUp(context);
  const after = await context.topology.primary();
  const operations = workload.operations;
  const present = await takePresentKeys(
    context,
    operations.map((op) => target.storedKey(op.key)),
  );
  const isPresent = (key: string) => present.has(target.storedKey(key));
  const count = (outcome: string, test: (key: string) => boolean = () => true) =>
    operations.filter((op) => op.outcome === outcome && test(op.key)).length;
  return {
    scenario: scenario.name,
    run,
    acknowledged: count('ok'),
    lost: count('ok', (key) => !isPresent(key)),
    failedButPresent: count('failed', isPresent),
    failed: count('failed'),
    unknown: count('unknown'),
    outageMs: Math.round(longestOutage(operations)),
    failedOver: after.port !== before.port,
    observations,
  };
}
