/**
 * `npm run chaos [-- --runs N] [--json FILE] [--only a,b] [--from a.json,b.json]`: the reliability counterpart of the bench,
 * Jepsen-style. For every scenario (CHAOS_SCENARIOS) and run: four writers write unique keys (cache
 * keys, or logins of users of their own for the sessions-* scenarios) through the toolkit before,
 * during and after a fault; once the sentinels agree and the replicas caught
 * up, every key is looked up on the primary. Prints a table (Markdown) and writes JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { SentinelTopology } from '@sentinel-kit/testing';
import { CHAOS_SCENARIOS, runChaosScenario, type ChaosRunResult } from '@sentinel-kit/test-support';
import { CHAOS_APP_OPTIONS, CHAOS_GROUP_OPTIONS, startChaosApp } from './chaos-app';
import { formatTable, summarize } from './chaos-report';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
    only: { type: 'string' },
    from: { type: 'string' },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`--runs: expected a whole number from 1, got "${args.runs}"\n`);
  process.exit(2);
}
const only = args.only?.split(',').map((name) => name.trim());
const scenarios = CHAOS_SCENARIOS.filter((s) => !only || only.includes(s.name));
const unknownNames = only?.filter((name) => !CHAOS_SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknownNames.length > 0) {
  process.stderr.write(
    `--only: unknown scenario(s) ${unknownNames.join(', ')}; expected some of ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** `--from a.json,b.json`: the table of runs made earlier (e.g. by several processes at once), merged. */
function printFrom(files: string[]): void {
  const runs = files.map(
    (file) => JSON.parse(readFileSync(file, 'utf8')) as { settings: unknown; results: ChaosRunResult[] },
  );
  for (const { settings } of runs) print(`settings: ${JSON.stringify(settings)}`);
  print(
    formatTable(
      summarize(
        CHAOS_SCENARIOS,
        runs.flatMap((r) => r.results),
      ),
    ),
  );
}

async function main(): Promise<void> {
  if (args.from) {
    printFrom(args.from.split(','));
    return;
  }
  // A Ctrl-C or kill still stops the group: exiting runs the harness' cleanup of its processes.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  const settings = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    group: `1 primary, 2 replicas, 3 sentinels (quorum 2), down-after ${CHAOS_GROUP_OPTIONS.downAfterMs} ms, failover-timeout ${CHAOS_GROUP_OPTIONS.failoverTimeoutMs} ms`,
    dataNodes: CHAOS_GROUP_OPTIONS.dataNodeConfig.join(', '),
    application: `fallback off, command timeout ${CHAOS_APP_OPTIONS.commandTimeoutMs} ms, write hold default (10000 ms), 4 writers of unique keys through RedisCacheService.set (sessions-*: logins of unique users through SessionService.create, replicated, no session fallback)`,
  };
  print(`chaos: ${runs} run(s) of ${scenarios.length} scenario(s)`);
  for (const [name, value] of Object.entries(settings)) print(`  ${name}: ${value}`);
  const topology = await SentinelTopology.start(CHAOS_GROUP_OPTIONS);
  const { app, context, targets } = await startChaosApp(topology);
  const results: ChaosRunResult[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      for (const scenario of scenarios) {
        const result = await runChaosScenario(scenario, run, context, targets[scenario.workload ?? 'cache']);
        results.push(result);
        print(
          `  ${scenario.name.padEnd(28)} run ${run}: ${result.acknowledged} acknowledged, ${result.lost} lost, ` +
            `${result.failedButPresent} failed-but-present, ${result.failed} failed, ${result.unknown} unknown, ` +
            `outage ${result.outageMs} ms, failover ${result.failedOver ? 'yes' : 'no'}` +
            (Object.keys(result.observations).length ? `, ${JSON.stringify(result.observations)}` : ''),
        );
      }
    }
  } finally {
    await app.close();
    await topology.stop();
  }
  const summaries = summarize(scenarios, results);
  print('');
  print(formatTable(summaries));
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ settings, summaries, results }, null, 2)}\n`);
    print(`\nwrote ${results.length} runs to ${args.json}`);
  }
  const broken = summaries.filter((s) => s.lost > 0 || s.failedButPresent > 0 || s.failoverAsExpected < s.runs);
  if (broken.length > 0) {
    print(`\nNOT as expected: ${broken.map((s) => s.scenario).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
