import type { INestApplicationContext } from '@nestjs/common';
import { CapturedLogger, SentinelTopology } from '@sentinel-kit/testing';
import {
  CHAOS_SCENARIOS,
  reportMeasure,
  runChaosScenario,
  type ChaosContext,
  type ChaosTarget,
  type ChaosWorkload,
} from '@sentinel-kit/test-support';
import { CHAOS_GROUP_OPTIONS, startChaosApp } from './chaos-app';

/** `npm run chaos -- --runs 1`, as a test: every scenario once, on one group. */
describe('chaos: every fault once, no acknowledged write lost', () => {
  let topology: SentinelTopology;
  let app: INestApplicationContext;
  let context: ChaosContext;
  let targets: Record<ChaosWorkload, ChaosTarget>;
  const logger = new CapturedLogger();

  beforeAll(async () => {
    topology = await SentinelTopology.start(CHAOS_GROUP_OPTIONS);
    ({ app, context, targets } = await startChaosApp(topology, logger));
  });
  afterAll(async () => {
    await app?.close();
    await topology?.stop();
  });

  it.each(CHAOS_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario) => {
    const logged = logger.lines.length;
    const result = await runChaosScenario(scenario, 1, context, targets[scenario.workload ?? 'cache']);
    reportMeasure(`chaos ${scenario.name}: longest outage`, result.outageMs);
    if (result.acknowledged <= 100) {
      // Say why: what the module logged during the run.
      const lines = logger.lines.slice(logged);
      throw new Error(
        `only ${result.acknowledged} writes acknowledged; the module logged ${lines.length} lines, the last ones:\n` +
          lines.slice(-60).join('\n'),
      );
    }
    expect({ lost: result.lost, failedButPresent: result.failedButPresent, failedOver: result.failedOver }).toEqual({
      lost: 0,
      failedButPresent: 0,
      failedOver: scenario.failover,
    });
    for (const [name, value] of Object.entries(result.observations))
      expect({ [name]: value }).toEqual({ [name]: true });
  });
});
