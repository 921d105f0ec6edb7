import type { INestApplicationContext } from '@nestjs/common';
import {
  CHAOS_SCENARIOS,
  SentinelTopology,
  reportMeasure,
  runChaosScenario,
  type ChaosContext,
  type ChaosTarget,
  type ChaosWorkload,
} from '@sentinel-kit/testing';
import { CHAOS_GROUP_OPTIONS, startChaosApp } from './chaos-app';

/** `npm run chaos -- --runs 1`, as a test: every scenario once, on one group. */
describe('chaos: every fault once, no acknowledged write lost', () => {
  let topology: SentinelTopology;
  let app: INestApplicationContext;
  let context: ChaosContext;
  let targets: Record<ChaosWorkload, ChaosTarget>;

  beforeAll(async () => {
    topology = await SentinelTopology.start(CHAOS_GROUP_OPTIONS);
    ({ app, context, targets } = await startChaosApp(topology));
  });
  afterAll(async () => {
    await app?.close();
    await topology?.stop();
  });

  it.each(CHAOS_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario) => {
    const result = await runChaosScenario(scenario, 1, context, targets[scenario.workload ?? 'cache']);
    reportMeasure(`chaos ${scenario.name}: longest outage`, result.outageMs);
    expect(result.acknowledged).toBeGreaterThan(100);
    expect({ lost: result.lost, failedButPresent: result.failedButPresent, failedOver: result.failedOver }).toEqual({
      lost: 0,
      failedButPresent: 0,
      failedOver: scenario.failover,
    });
    for (const [name, value] of Object.entries(result.observations))
      expect({ [name]: value }).toEqual({ [name]: true });
  });
});
