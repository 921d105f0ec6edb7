import { setTimeout as sleep } from 'node:timers/promises';
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
  /** Pause of each writer between two writes. @default 1 */
  writerPauseMs?: number;
}

/**
 * One run of one scenario, Jepsen-style: writers write unique keys (a cache key, or a login of a user
 * of its own) before, during and after the fault; once the deployment is settled and the replicas
 * caught up, every key is looked up on the primaries.
 * An acknowledged write that is absent is lost; a write reported as failed that is present was
 * wrongly reported; unknown outcomes may go either way. The target's own checks join the
 * scenario's observations.
 */
export async function runChaosScenario<Context extends ChaosContext<unknown>>(
  scenario: ChaosScenario<Context>,
  run: number,
  context: Context,
  target: ChaosTarget,
  options: ChaosRunOptions = {},
): Promise<ChaosRunResult> {
  const { deployment } = context;
  await deployment.waitUntilSettled();
  await deployment.replicasCaughtUp();
  const before = await deployment.primaries();
  const workload = startWrites(target, `chaos:${scenario.name}:${run}`, options.writers ?? 4, options.writerPauseMs);
  let observations: Record<string, boolean | number>;
  try {
    await sleep(options.beforeMs ?? 1000);
    observations = await scenario.inject(context);
    await deployment.waitUntilSettled();
    await sleep(options.afterMs ?? 1000);
  } finally {
    await workload.stop();
  }
  await deployment.replicasCaughtUp();
  const after = await deployment.primaries();
  const operations = workload.operations;
  const present = await deployment.takePresentKeys(operations.map((op) => target.storedKey(op.key)));
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
    failedOver: after !== before,
    observations: { ...observations, ...target.verdict?.() },
  };
}
