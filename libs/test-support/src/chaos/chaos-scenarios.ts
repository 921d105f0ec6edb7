import { setTimeout as sleep } from 'node:timers/promises';
import { sendCommand, type RedisServerProcess, waitFor } from '@sentinel-kit/testing';
import type { ChaosScenario, ChaosWorkload, SentinelChaosContext } from './chaos.interfaces';

/** Restarts whatever is down and points the data nodes at the primary, so that the group can settle. */
async function heal(context: SentinelChaosContext): Promise<void> {
  const { topology } = context;
  const restarted: RedisServerProcess[] = [];
  for (const process of [...topology.dataNodes, ...topology.sentinels]) {
    if (process.running) continue;
    await process.start();
    restarted.push(process);
  }
  await rejoin(context, restarted);
}

/**
 * Points data nodes that came back (restarted, or resumed after a pause) at the current primary
 * when they follow something else or are masters themselves, as Sentinel does at its next INFO
 * poll, up to 10 s later: the runs need not wait for that.
 */
async function rejoin(context: SentinelChaosContext, nodes: readonly RedisServerProcess[]): Promise<void> {
  const { topology } = context;
  const primary = await topology.primary(30_000);
  for (const node of nodes.filter((p) => topology.dataNodes.includes(p) && p !== primary)) {
    const role = (await sendCommand(node.endpoint, 'ROLE', [], 1000)) as unknown[];
    const follows = role[0] === 'slave' && Number(role[2]) === primary.port;
    if (!follows) await sendCommand(node.endpoint, 'REPLICAOF', [primary.host, String(primary.port)], 1000);
  }
}

/** SIGTERM, then waits for the exit (Redis saves and exits on SIGTERM). */
async function terminate(node: RedisServerProcess): Promise<void> {
  await node.stop(10_000);
}

/** Kills the primary some way, waits for the failover, then brings back whatever is down. */
function primaryFailure(
  name: string,
  summary: string,
  fault: (primary: RedisServerProcess, context: SentinelChaosContext) => Promise<void>,
  workload: ChaosWorkload = 'cache',
): ChaosScenario {
  return {
    name,
    summary,
    workload,
    failover: true,
    async inject(context) {
      const old = await context.topology.primary();
      await fault(old, context);
      await context.topology.waitForNewPrimary(old.port, 30_000);
      await heal(context);
      return {};
    },
  };
}

/** Pauses the primary (SIGSTOP) until the sentinels have failed over, then resumes it. */
function pausedPrimary(name: string, summary: string, workload: ChaosWorkload = 'cache'): ChaosScenario {
  return {
    name,
    summary,
    workload,
    failover: true,
    async inject(context) {
      const old = await context.topology.primary();
      old.pause();
      try {
        await context.topology.waitForNewPrimary(old.port, 30_000);
        // Long enough for clients that stayed on it to have acknowledged writes there, if any did.
        await sleep(2000);
      } finally {
        old.resume();
      }
      await rejoin(context, [old]);
      return {};
    },
  };
}

/**
 * The faults of the chaos suite. Each leaves the group whole (every process running, the sentinels
 * agreeing) before it returns.
 */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = Object.freeze([
  primaryFailure('sigkill-primary', 'primary SIGKILLed', (primary) => primary.kill()),
  primaryFailure('sigterm-primary', 'primary SIGTERMed (it shuts down cleanly)', terminate),
  pausedPrimary('sigstop-primary', 'primary SIGSTOPped past down-after, failed over, then SIGCONTed'),
  {
    name: 'short-pause',
    summary: 'primary SIGSTOPped for half of down-after: no failover',
    failover: false,
    async inject(context) {
      const primary = await context.topology.primary();
      primary.pause();
      await sleep(context.downAfterMs / 2);
      primary.resume();
      return {};
    },
  },
  {
    name: 'planned-switchover',
    summary: "planned switchover through the application's switchover service",
    failover: true,
    async inject(context) {
      const old = await context.topology.primary();
      await context.switchover();
      await context.topology.waitForNewPrimary(old.port, 30_000);
      return {};
    },
  },
  {
    name: 'replica-killed',
    summary: 'one replica SIGKILLed for 2 s, then restarted',
    failover: false,
    async inject(context) {
      const [replica] = await context.topology.replicas();
      await replica.kill();
      await sleep(2000);
      await heal(context);
      return {};
    },
  },
  primaryFailure(
    'sentinel-then-primary',
    'one sentinel SIGKILLed, then the primary: the other two fail over',
    async (primary, { topology }) => {
      await topology.sentinels[0].kill();
      await primary.kill();
    },
  ),
  {
    name: 'two-sentinels-then-primary',
    summary: 'two sentinels SIGKILLed, then the primary: no failover, quorum lost reported',
    failover: false,
    async inject(context) {
      const { topology } = context;
      const primary = await topology.primary();
      await Promise.all(topology.sentinels.slice(0, 2).map((s) => s.kill()));
      await primary.kill();
      // No failover can happen; the application must say why.
      const quorumLostReported = await waitFor(() => context.quorumLost(), {
        description: 'the application to report the Sentinel quorum as lost',
        timeoutMs: 15_000,
        intervalMs: 250,
      }).catch(() => false);
      await sleep(context.downAfterMs + 1000);
      await primary.start();
      await heal(context);
      return { quorumLostReported };
    },
  },
  {
    name: 'all-sentinels-down',
    summary: 'all sentinels SIGKILLed for 3 s, then restarted',
    failover: false,
    async inject(context) {
      await Promise.all(context.topology.sentinels.map((s) => s.kill()));
      await sleep(3000);
      await heal(context);
      return {};
    },
  },
  {
    name: 'two-failovers',
    summary: 'primary SIGKILLed, and the new primary SIGKILLed as soon as it is named',
    failover: true,
    async inject(context) {
      const { topology } = context;
      const first = await topology.primary();
      await first.kill();
      const second = await topology.waitForNewPrimary(first.port, 30_000);
      await first.start();
      await second.kill();
      await waitFor(
        async () => {
          const primary = await topology.primary(1000).catch(() => undefined);
          return primary && primary.port !== second.port ? primary : undefined;
        },
        { description: 'a second failover', timeoutMs: 40_000 },
      );
      await heal(context);
      return {};
    },
  },
  primaryFailure(
    'sessions-sigkill-primary',
    'logins (SessionService.create, replicated) while the primary is SIGKILLed',
    (primary) => primary.kill(),
    'sessions',
  ),
  primaryFailure(
    'locks-sigkill-primary',
    'writes each under a lock of 3 shared names (RedisLockService) while the primary is SIGKILLed',
    (primary) => primary.kill(),
    'locks',
  ),
  pausedPrimary(
    'sessions-sigstop-primary',
    'logins (SessionService.create, replicated) while the primary is SIGSTOPped past down-after, then SIGCONTed',
    'sessions',
  ),
]);
