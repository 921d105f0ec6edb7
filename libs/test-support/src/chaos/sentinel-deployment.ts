import { sendCommand, waitFor, type SentinelTopology } from '@sentinel-kit/testing';
import type { ChaosDeployment } from './chaos.interfaces';

/** `EXISTS` of each key (of any type), in one round trip. */
const EXISTS_EACH = `local found = {} for i, key in ipairs(KEYS) do found[i] = redis.call('EXISTS', key) end return found`;

/** A Sentinel group as the chaos runs see it: one primary, whose replicas must catch up. */
export function sentinelDeployment(topology: SentinelTopology): ChaosDeployment {
  return {
    waitUntilSettled: () => topology.waitUntilSettled(),
    /** Everything the primary had written when the wait began (keys expiring meanwhile move the offset on). */
    async replicasCaughtUp() {
      let goal: { port: number; offset: number } | undefined;
      await waitFor(
        async () => {
          const primary = await topology.primary(2000);
          const info = String(await sendCommand(primary.endpoint, 'INFO', ['replication'], 1000));
          const offset = Number(/^master_repl_offset:(\d+)/m.exec(info)?.[1]);
          if (goal?.port !== primary.port) goal = { port: primary.port, offset };
          const replicas = [...info.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((m) => Number(m[1]));
          return replicas.length > 0 && replicas.every((o) => o >= goal!.offset);
        },
        { description: 'the replicas to catch up with the primary', timeoutMs: 30_000, intervalMs: 100 },
      );
    },
    async takePresentKeys(keys) {
      const primary = await topology.primary();
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
    },
    primaries: async () => String((await topology.primary()).port),
  };
}
