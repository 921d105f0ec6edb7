import { CapturedLogger } from '@sentinel-kit/testing';
import {
  reportMeasure,
  runChaosScenario,
  type ChaosContext,
  type ChaosTarget,
  type ChaosWorkload,
} from '@sentinel-kit/test-support';
import type { ChaosSession } from './chaos-sessions';

/**
 * Each writer's pause between two writes in `npm test`: 5 ms rather than the chaos runs' 1 ms.
 * About a thousand writes a second still surround every fault (an outage is measured to the
 * millisecond), and the suite no longer keeps a core busy beside the others for three minutes.
 */
const WRITER_PAUSE_MS = 5;

/**
 * `npm run chaos -- --runs 1` of `session`, as a Jest suite: every scenario once on one deployment;
 * each must lose no acknowledged write, report no applied write as failed, fail over exactly when
 * its fault calls for it, and observe what it sets out to (e.g. the quorum reported lost).
 */
export function describeChaos<Context extends ChaosContext<unknown>>(
  title: string,
  session: ChaosSession<Context>,
): void {
  describe(title, () => {
    let context: Context;
    let targets: Record<ChaosWorkload, ChaosTarget>;
    let stop: (() => Promise<void>) | undefined;
    const logger = new CapturedLogger();

    beforeAll(async () => {
      ({ context, targets, stop } = await session.start(logger));
    });
    afterAll(async () => stop?.());

    it.each(session.scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario) => {
      const logged = logger.lines.length;
      const result = await runChaosScenario(scenario, 1, context, targets[scenario.workload ?? 'cache'], {
        writerPauseMs: WRITER_PAUSE_MS,
      });
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
}
