/**
 * `npm run bench [-- --json FILE] [--rounds N] [--round-ms MS] [--http-seconds S] [--trials N] [--only a,b]`: our code
 * against its peers in one run on one machine, against redis-server processes of its own
 * (standalone, a Sentinel group for sessions and failover, and a 3-shard cluster for Cluster mode). Prints medians and ratios (higher is better for
 * us); timings drift on shared machines, so only the ratios of one run compare.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ClusterTopology, SentinelTopology, startStandaloneRedis } from '@sentinel-kit/testing';
import { interleavedRounds, median, opsPerSecond, pairedRatio } from './measure';
import { profileComparison } from './profile';
import type { BenchResult, BenchSuite, Contender } from './scenario';
import { cacheSuite } from './scenarios/cache.bench';
import { cacheableSuite } from './scenarios/cacheable.bench';
import { clusterSuite } from './scenarios/cluster.bench';
import { failoverResults } from './scenarios/failover.bench';
import { FALLBACK_SIZES, fallbackSuite } from './scenarios/fallback.bench';
import { httpResults } from './scenarios/http.bench';
import { lockSuite } from './scenarios/lock.bench';
import { rateLimitSuite } from './scenarios/rate-limit.bench';
import { sessionSuite } from './scenarios/session.bench';
import { tracingSuite } from './scenarios/tracing.bench';

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'round-ms': { type: 'string', default: '1000' },
    'http-seconds': { type: 'string', default: '3' },
    trials: { type: 'string', default: '3' },
    only: { type: 'string' },
    profile: { type: 'string' },
    'profile-dir': { type: 'string', default: 'profiles' },
  },
});
const SUITES = [
  'cache',
  'tracing',
  'rate-limit',
  'session',
  'lock',
  'http',
  'fallback',
  'failover',
  'cluster',
] as const;
const only = args.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(SUITES as readonly string[]).includes(name));
if (unknown?.length) {
  process.stderr.write(`--only: unknown suite(s) ${unknown.join(', ')}; expected some of ${SUITES.join(', ')}\n`);
  process.exit(2);
}
const selected = (name: (typeof SUITES)[number]) => !only || only.includes(name);
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const WARMUP_MS = 500;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Each contender's samples of ROUNDS interleaved rounds, after a warm-up. */
async function compare(contenders: Contender[], concurrency: number): Promise<number[][]> {
  for (const contender of contenders) {
    await contender.enter?.();
    await opsPerSecond(contender.operation, concurrency, WARMUP_MS);
  }
  return interleavedRounds(contenders, ROUNDS, async (contender) => {
    await contender.enter?.();
    return opsPerSecond(contender.operation, concurrency, ROUND_MS);
  });
}

function report(result: BenchResult, results: BenchResult[]): void {
  results.push(result);
  print(
    `${result.name.padEnd(44)} ${String(result.ours).padStart(8)} vs ${String(result.peer).padStart(8)} ${result.unit.padEnd(11)} ` +
      `${result.ratio.toFixed(2)}x  (${result.peerName})`,
  );
}

/**
 * `--profile NAME`: each contender of the comparisons named NAME runs alone under the CPU profiler
 * (ROUNDS × ROUND_MS); prints its hottest functions and writes its `.cpuprofile` to `--profile-dir`.
 */
async function profileSuite(suite: BenchSuite, name: string): Promise<void> {
  try {
    for (const comparison of suite.comparisons.filter((candidate) => candidate.name === name)) {
      for (const profile of await profileComparison(comparison, ROUNDS * ROUND_MS, args['profile-dir'])) {
        print(`${comparison.name}: ${profile.contender}, ${profile.opsPerSecond} ops/s -> ${profile.file}`);
        for (const hot of profile.hottest)
          print(`  ${hot.selfPercent.toFixed(1).padStart(5)} %  ${hot.name}  ${hot.location}`);
      }
    }
  } finally {
    await suite.close();
  }
}

async function runSuite(suite: BenchSuite, results: BenchResult[]): Promise<void> {
  if (args.profile) return profileSuite(suite, args.profile);
  try {
    for (const comparison of suite.comparisons) {
      const [ours, ...peers] = await compare([comparison.ours, ...comparison.peers], comparison.concurrency);
      for (const [index, peer] of comparison.peers.entries()) {
        report(
          {
            name: comparison.name,
            unit: 'ops/s',
            ours: Math.round(median(ours)),
            peer: Math.round(median(peers[index])),
            peerName: peer.name,
            ratio: Number(pairedRatio(ours, peers[index]).toFixed(3)),
            rounds: ROUNDS,
          },
          results,
        );
      }
    }
  } finally {
    await suite.close();
  }
}

async function main(): Promise<void> {
  const { server, dispose } = await startStandaloneRedis();
  const results: BenchResult[] = [];
  try {
    print(
      `sentinel-kit bench: node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms, medians; ratio > 1 means ours is ahead`,
    );
    if (selected('cache')) {
      await runSuite(await cacheSuite(server.endpoint), results);
      await runSuite(await cacheableSuite(server.endpoint), results);
    }
    if (selected('tracing')) await runSuite(await tracingSuite(server.endpoint), results);
    if (selected('rate-limit')) await runSuite(await rateLimitSuite(server.endpoint), results);
    if (selected('lock')) {
      const { host, port } = server.endpoint;
      await runSuite(await lockSuite('lock', { host, port }, { host, port }), results);
    }
    if (selected('http')) {
      for (const result of await httpResults(server.endpoint, ROUNDS, Number(args['http-seconds']))) {
        report(result, results);
      }
    }
    if (selected('fallback')) {
      for (const entries of FALLBACK_SIZES) {
        const suite = fallbackSuite(entries);
        await runSuite(suite, results);
        for (const result of suite.memory()) report(result, results);
      }
    }
  } finally {
    await dispose();
  }
  if (selected('session') || selected('lock')) {
    const topology = await SentinelTopology.start({ downAfterMs: 5000 });
    const sentinels = topology.sentinels.map(({ host, port }) => ({ host, port }));
    try {
      if (selected('session')) await runSuite(await sessionSuite(topology), results);
      if (selected('lock')) {
        const suite = await lockSuite(
          'lock, Sentinel',
          { sentinel: { sentinels } },
          { sentinels, name: topology.masterName },
        );
        await runSuite(suite, results);
      }
    } finally {
      await topology.stop();
    }
  }
  if (selected('cluster')) {
    // A production-like node timeout: the tests' 1 s let a node starved of CPU by the bench be
    // failed over in the middle of a round (a run ended on a command timeout that way).
    const cluster = await ClusterTopology.start({ primaries: 3, replicasPerPrimary: 1, nodeTimeoutMs: 5000 });
    try {
      await runSuite(await clusterSuite(cluster), results);
    } finally {
      await cluster.stop();
    }
  }
  if (selected('failover')) {
    print(`failover: SIGKILL of the primary under 4 writers per contender, ${args.trials} trials, medians`);
    for (const result of await failoverResults(Number(args.trials), print)) report(result, results);
  }
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
    print(`wrote ${results.length} results to ${args.json}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
