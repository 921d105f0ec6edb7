import type { Operation } from './measure';

/** One contender of a comparison: ours or a peer. */
export interface Contender {
  name: string;
  operation: Operation;
  /** Run before each of its rounds (and its warm-up), e.g. to switch tracing on or off. */
  enter?: () => Promise<void>;
}

/** A throughput comparison: our operation against each peer, at one concurrency. */
export interface ThroughputComparison {
  name: string;
  concurrency: number;
  ours: Contender;
  peers: Contender[];
}

/** A group of comparisons with what they need running (connections, apps), closed afterwards. */
export interface BenchSuite {
  comparisons: ThroughputComparison[];
  close(): Promise<void>;
}

/** One printed and JSON-written row: higher `ratio` is always better for us. */
export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  peer: number;
  peerName: string;
  /** ours / peer for throughput, peer / ours for latency. */
  ratio: number;
  rounds: number;
}
