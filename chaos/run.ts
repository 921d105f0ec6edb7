/**
 * `npm run chaos [-- --runs N] [--json FILE] [--only a,b] [--from a.json,b.json] [--cluster]`: the reliability counterpart of the bench,
 * Jepsen-style. For every scenario (CHAOS_SCENARIOS) and run: four writers write unique keys (cache
 * keys, or logins of users of their own for the sessions-* scenarios) through the toolkit before,
 * during and after a fault; once the sentinels agree and the replicas caught
 * up, every key is looked up on the primary. Prints a table (Markdown) and writes JSON. With
 * `--cluster`, the shard faults of CLUSTER_CHAOS_SCENARIOS on a 6-node Redis Cluster instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import {
  CHAOS_SCENARIOS,
  CLUSTER_CHAOS_SCENARIOS,
  runChaosScenario,
  type ChaosContext,
  type ChaosRunResult,
} from '@sentinel-kit/test-support';
import { CLUSTER_CHAOS, SENTINEL_CHAOS, type ChaosSession } from './chaos-sessions';
import { formatTable, summarize } from './chaos-report';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
    only: { type: 'string' },
    from: { type: 'string' },
    cluster: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`--runs: expected a whole number from 1, got "${args.runs}"\n`);
  process.exit(2);
}
const only = args.only?.split(',').map((name) => name.trim());
const allScenarios: readonly { name: string; summary: string; failover: boolean }[] = args.cluster
  ? CLUSTER_CHAOS_SCENARIOS
  : CHAOS_SCENARIOS;
const selected = (name: string) => !only || only.includes(name);
const unknownNames = only?.filter((name) => !allScenarios.some((s) => s.name === name)) ?? [];
if (unknownNames.length > 0) {
  process.stderr.write(
    `--only: unknown scenario(s) ${unknownNames.join(', ')}; expected some of ${allScenarios.map((s) => s.name).join(', ')}\n`,
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
        allScenarios,
        runs.flatMap((r) => r.results),
      ),
    ),
  );
}

async function runSession<Context extends ChaosContext<unknown>>(session: ChaosSession<Context>): Promise<void> {
  // A Ctrl-C or kill still stops the processes: exiting runs the harness' cleanup of its processes.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  const scenarios = session.scenarios.filter((scenario) => selected(scenario.name));
  const settings = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    ...session.settings,
  };
  print(`chaos: ${runs} run(s) of ${scenarios.length} scenario(s)`);
  for (const [name, value] of Object.entries(settings)) print(`  ${name}: ${value}`);
  const { context, targets, stop } = await session.start(false);
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
    await stop();
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

async function main(): Promise<void> {
  if (args.from) {
    printFrom(args.from.split(','));
    return;
  }
  await (args.cluster ? runSession(CLUSTER_CHAOS) : runSession(SENTINEL_CHAOS));
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
