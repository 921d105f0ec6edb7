import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { opsPerSecond } from './measure';
import type { Contender, ThroughputComparison } from './scenario';

/** A function's share of the samples, by where it is defined. */
export interface HotFunction {
  name: string;
  location: string;
  selfPercent: number;
}

/** What `--profile` wrote for one contender. */
export interface ContenderProfile {
  contender: string;
  opsPerSecond: number;
  file: string;
  hottest: HotFunction[];
}

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
}

/**
 * Runs each contender of `comparison` alone for `durationMs` under V8's sampling profiler (what
 * `node --cpu-prof` records, but only around the measured loop) and writes one `.cpuprofile` per
 * contender into `directory`: open it in Chrome DevTools (Performance) or speedscope for a flame
 * graph. Returns the hottest functions by self time, to compare the contenders' hot paths.
 */
export async function profileComparison(
  comparison: ThroughputComparison,
  durationMs: number,
  directory: string,
): Promise<ContenderProfile[]> {
  mkdirSync(directory, { recursive: true });
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    const profiles: ContenderProfile[] = [];
    for (const contender of [comparison.ours, ...comparison.peers]) {
      profiles.push(await profileContender(session, comparison, contender, durationMs, directory));
    }
    return profiles;
  } finally {
    session.disconnect();
  }
}

async function profileContender(
  session: Session,
  comparison: ThroughputComparison,
  contender: Contender,
  durationMs: number,
  directory: string,
): Promise<ContenderProfile> {
  await contender.enter?.();
  await opsPerSecond(contender.operation, comparison.concurrency, Math.min(durationMs, 1000));
  await session.post('Profiler.start');
  const rate = await opsPerSecond(contender.operation, comparison.concurrency, durationMs);
  const { profile } = await session.post('Profiler.stop');
  const file = join(directory, `${slug(comparison.name)}--${slug(contender.name)}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return {
    contender: contender.name,
    opsPerSecond: Math.round(rate),
    file,
    hottest: hottestFunctions(profile as CpuProfile, 12),
  };
}

/** The `count` functions with the most self samples, merged by name and place. */
export function hottestFunctions(profile: CpuProfile, count: number): HotFunction[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfSamples = new Map<string, { name: string; location: string; samples: number }>();
  for (const id of profile.samples) {
    const frame = frameOf.get(id);
    if (!frame) continue;
    const location = `${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${location}`;
    const entry = selfSamples.get(key) ?? { name, location, samples: 0 };
    entry.samples += 1;
    selfSamples.set(key, entry);
  }
  const total = profile.samples.length || 1;
  return [...selfSamples.values()]
    .sort((a, b) => b.samples - a.samples)
    .slice(0, count)
    .map(({ name, location, samples }) => ({
      name,
      location,
      selfPercent: Number(((100 * samples) / total).toFixed(1)),
    }));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
