import { describeChaos } from './chaos-suite';
import { SENTINEL_CHAOS } from './chaos-sessions';

/** `npm run chaos -- --runs 1`, as a test: every Sentinel fault once, on one group. */
describeChaos('chaos: every fault once, no acknowledged write lost', SENTINEL_CHAOS);
