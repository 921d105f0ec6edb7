import { describeChaos } from './chaos-suite';
import { CLUSTER_CHAOS } from './chaos-sessions';

/** `npm run chaos -- --cluster --runs 1`, as a test: every shard fault once, on one cluster. */
describeChaos('chaos on a Redis Cluster: every shard fault once, no acknowledged write lost', CLUSTER_CHAOS);
