import type { ChaosRunResult } from '@sentinel-kit/test-support';

/** Per scenario, over every run. */
export interface ChaosSummary {
  scenario: string;
  summary: string;
  runs: number;
  acknowledged: number;
  lost: number;
  failedButPresent: number;
  failed: number;
  unknown: number;
  /** Median and worst longest-outage, in ms. */
  outageMedianMs: number;
  outageMaxMs: number;
  /** Runs whose failover (or its absence) was as the scenario expects. */
  failoverAsExpected: number;
  /** Observations that held in every run (e.g. `quorumLostReported`). */
  observations: Record<string, string>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Sums the runs of each scenario. */
export function summarize(
  scenarios: readonly { name: string; summary: string; failover: boolean }[],
  results: readonly ChaosRunResult[],
): ChaosSummary[] {
  return scenarios
    .map((scenario) => ({ scenario, runs: results.filter((r) => r.scenario === scenario.name) }))
    .filter(({ runs }) => runs.length > 0)
    .map(({ scenario, runs }) => {
      const sum = (field: 'acknowledged' | 'lost' | 'failedButPresent' | 'failed' | 'unknown') =>
        runs.reduce((total, r) => total + r[field], 0);
      const observationNames = [...new Set(runs.flatMap((r) => Object.keys(r.observations)))];
      return {
        scenario: scenario.name,
        summary: scenario.summary,
        runs: runs.length,
        acknowledged: sum('acknowledged'),
        lost: sum('lost'),
        failedButPresent: sum('failedButPresent'),
        failed: sum('failed'),
        unknown: sum('unknown'),
        outageMedianMs: median(runs.map((r) => r.outageMs)),
        outageMaxMs: Math.max(...runs.map((r) => r.outageMs)),
        failoverAsExpected: runs.filter((r) => r.failedOver === scenario.failover).length,
        observations: Object.fromEntries(
          observationNames.map((name) => [
            name,
            `${runs.filter((r) => r.observations[name] === true).length}/${runs.length}`,
          ]),
        ),
      };
    });
}

/** A Markdown table of the summaries (docs/reliability.md quotes it as printed). */
export function formatTable(summaries: readonly ChaosSummary[]): string {
  const header = [
    '| scenario | runs | acknowledged | lost | failed but present | failed | unknown | outage median / max (ms) | failover as expected | observed |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --- |',
  ];
  const rows = summaries.map((s) =>
    [
      `\`${s.scenario}\``,
      s.runs,
      s.acknowledged,
      `**${s.lost}**`,
      `**${s.failedButPresent}**`,
      s.failed,
      s.unknown,
      `${s.outageMedianMs} / ${s.outageMaxMs}`,
      `${s.failoverAsExpected}/${s.runs}`,
      Object.entries(s.observations)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ') || '—',
    ].join(' | '),
  );
  return [...header, ...rows.map((row) => `| ${row} |`)].join('\n');
}
