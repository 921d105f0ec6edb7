/**
 * `npm run bench [-- --json FILE] [-- --rounds N] [-- --round-ms MS]`: our code against its peers in
 * one run on one machine, against a redis-server of its own. Prints medians and ratios (higher is
 * better for us); timings drift on shared machines, so only the ratios of one run compare.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStandaloneRedis } from '@sentinel-kit/testing';
import { median, opsPerSecond } from './measure';
import type { BenchResult, BenchSuite, Contender } from './scenario';
import { rateLimitSuite } from './scenarios/rate-limit.bench';

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'round-ms': { type: 'string', default: '1000' },
  },
});
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const WARMUP_MS = 500;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Medians of ROUNDS interleaved rounds per contender, so that drift hits every contender alike. */
async function compare(contenders: Contender[], concurrency: number): Promise<number[]> {
  for (const contender of contenders) await opsPerSecond(contender.operation, concurrency, WARMUP_MS);
  const samples = contenders.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, contender] of contenders.entries()) {
      samples[index].push(await opsPerSecond(contender.operation, concurrency, ROUND_MS));
    }
  }
  return samples.map(median);
}

async function runSuite(suite: BenchSuite, results: BenchResult[]): Promise<void> {
  try {
    for (const comparison of suite.comparisons) {
      const [ours, ...peers] = await compare([comparison.ours, ...comparison.peers], comparison.concurrency);
      for (const [index, peer] of comparison.peers.entries()) {
        const result: BenchResult = {
          name: comparison.name,
          unit: 'ops/s',
          ours: Math.round(ours),
          peer: Math.round(peers[index]),
          peerName: peer.name,
          ratio: Number((ours / peers[index]).toFixed(3)),
          rounds: ROUNDS,
        };
        results.push(result);
        print(
          `${result.name.padEnd(44)} ${String(result.ours).padStart(8)} vs ${String(result.peer).padStart(8)} ${result.unit}  ` +
            `${result.ratio.toFixed(2)}x  (${result.peerName})`,
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
    await runSuite(await rateLimitSuite(server.endpoint), results);
  } finally {
    await dispose();
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
