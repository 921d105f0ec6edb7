import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from './free-port';
import { sendCommand } from './redis-command';
import { RedisServerProcess } from './redis-server-process';
import { tlsConfigLines, type TestCertificates } from './test-certificates';
import { waitFor } from './wait-for';

/** Shape of a {@link ClusterTopology}. */
export interface ClusterTopologyOptions {
  /** Shards, each with its own primary. @default 3 (the least Redis Cluster accepts) */
  primaries?: number;
  /** Replicas of each primary. @default 1 */
  replicasPerPrimary?: number;
  /** `cluster-node-timeout`: how long a primary may be unreachable before its replica takes over. @default 1000 */
  nodeTimeoutMs?: number;
  /** Extra config lines for every node. */
  nodeConfig?: readonly string[];
  /** Leave the processes running after this Node.js process exits (for `cluster:up`). @default false */
  detached?: boolean;
  /** Parent directory of the cluster's private directory. @default the OS temp directory */
  baseDir?: string;
  /**
   * Nodes that also listen with TLS on a port of their own (`RedisServerProcess.tlsPort`), with
   * these certificates, and speak TLS to each other (`tls-cluster`, `tls-replication`). A TLS
   * client is told the nodes' TLS ports; the harness keeps using the plain ones.
   */
  tls?: TestCertificates;
}

/** One shard as the cluster sees it: its primary, its replicas and its slot ranges. */
export interface ClusterShardView {
  primary: RedisServerProcess;
  replicas: RedisServerProcess[];
  /** Inclusive `[first, last]` slot ranges. */
  slots: [number, number][];
}

const READY_TIMEOUT_MS = 30_000;
const execFileAsync = promisify(execFile);

/**
 * A real Redis Cluster on loopback, made by `redis-cli --cluster create`: each node a
 * `redis-server` process with its own port, cluster bus port, directory and `nodes.conf`.
 *
 * @example
 * const cluster = await ClusterTopology.start(); // 3 primaries, 3 replicas
 * const shard = await cluster.shardOf('user:42');
 * await shard.primary.kill();
 * const next = await cluster.waitForFailover(shard);
 * await cluster.stop();
 */
export class ClusterTopology {
  private constructor(
    readonly dir: string,
    readonly nodes: RedisServerProcess[],
    private readonly replicasPerPrimary: number,
    private readonly ownsDir: boolean,
  ) {}

  /** Starts every node, creates the cluster and waits until every node reports it whole. */
  static async start(options: ClusterTopologyOptions = {}): Promise<ClusterTopology> {
    const primaries = options.primaries ?? 3;
    const replicas = options.replicasPerPrimary ?? 1;
    const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), 'sentinel-kit-cluster-'));
    const nodes: RedisServerProcess[] = [];
    const cluster = new ClusterTopology(dir, nodes, replicas, options.baseDir === undefined);
    try {
      for (let i = 0; i < primaries * (1 + replicas); i += 1) {
        const tlsPort = options.tls ? await findFreePort() : undefined;
        const node = new RedisServerProcess({
          port: await findFreePort(),
          tlsPort,
          dir: join(dir, `node-${i}`),
          detached: options.detached ?? false,
          configLines: [
            ...(options.tls && tlsPort
              ? [
                  ...tlsConfigLines(options.tls, tlsPort),
                  'tls-cluster yes',
                  'tls-replication yes',
                  // A node dials the others as a client: with the client certificate, whose key usage allows it.
                  `tls-client-cert-file ${options.tls.client.certFile}`,
                  `tls-client-key-file ${options.tls.client.keyFile}`,
                ]
              : []),
            'cluster-enabled yes',
            'cluster-config-file nodes.conf',
            `cluster-port ${await findFreePort()}`,
            `cluster-node-timeout ${options.nodeTimeoutMs ?? 1000}`,
            // A replica takes over however long it was cut off: tests kill primaries on purpose.
            'cluster-replica-validity-factor 0',
            ...(options.nodeConfig ?? []),
          ],
        });
        nodes.push(node);
        await node.start();
      }
      await execFileAsync(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...nodes.map((node) => `${node.host}:${node.port}`),
          '--cluster-replicas',
          String(replicas),
          '--cluster-yes',
        ],
        { timeout: READY_TIMEOUT_MS },
      );
      await cluster.waitUntilSettled();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Seed addresses, in the form the module's `REDIS_CLUSTER_NODES` takes. */
  get seedList(): string {
    return this.nodes.map((node) => `${node.host}:${node.port}`).join(',');
  }

  /** The node with this port. @throws when no node listens there. */
  node(port: number): RedisServerProcess {
    const found = this.nodes.find((node) => node.port === port);
    if (!found) throw new Error(`no cluster node on port ${port}`);
    return found;
  }

  /** The shards as a running node sees them (`CLUSTER SHARDS`), primaries that are down left out. */
  async shards(): Promise<ClusterShardView[]> {
    const reply = (await this.ask(['SHARDS'])) as unknown[][];
    const shards: ClusterShardView[] = [];
    for (const shard of reply.map(toRecord)) {
      const members = (shard.nodes as unknown[][]).map(toRecord);
      // A replica that has copied nothing yet (offset 0) says `loading`; only `fail` is down.
      const live = (role: string) =>
        members
          .filter((member) => member.role === role && member.health !== 'fail')
          .map((member) => this.node(Number(member.port)));
      const [primary] = live('master');
      const ranges = shard.slots as number[];
      if (!primary || ranges.length === 0) continue;
      const slots: [number, number][] = [];
      for (let i = 0; i < ranges.length; i += 2) slots.push([Number(ranges[i]), Number(ranges[i + 1])]);
      shards.push({ primary, replicas: live('replica'), slots });
    }
    return shards;
  }

  /** The shard that holds `key`'s slot. */
  async shardOf(key: string): Promise<ClusterShardView> {
    const slot = Number(await this.ask(['KEYSLOT', key]));
    const shard = (await this.shards()).find(({ slots }) => slots.some(([from, to]) => slot >= from && slot <= to));
    if (!shard) throw new Error(`no shard serves slot ${slot}`);
    return shard;
  }

  /**
   * Waits until one of `shard`'s replicas has taken over (a primary, online, with slots) and the
   * cluster is whole again. Take `shard` before killing its primary. Returns the new primary.
   */
  async waitForFailover(shard: ClusterShardView, timeoutMs = 20_000): Promise<RedisServerProcess> {
    return waitFor(
      async () => {
        const promoted = (await this.shards().catch(() => [])).find(({ primary }) => shard.replicas.includes(primary));
        return promoted && (await this.allOk()) ? promoted.primary : undefined;
      },
      { description: `a replica to take over from port ${shard.primary.port}`, timeoutMs },
    );
  }

  /**
   * Waits until every running node reports `cluster_state:ok`, knows every node and sees every slot,
   * and every primary has its replicas' links up.
   */
  async waitUntilSettled(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    await waitFor(async () => (await this.allOk()) && (await this.replicasOnline()), {
      description: 'the cluster to report itself whole, with every replica in sync',
      timeoutMs,
    });
  }

  /** Stops every node and removes the cluster's directory. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * A `CLUSTER` question to the first running node that answers: a paused (SIGSTOPped) node, or
   * one killed a moment ago, would otherwise hold every question up for the whole timeout.
   */
  private async ask(args: (string | number)[]): Promise<unknown> {
    for (const node of this.nodes.filter((n) => n.running)) {
      try {
        return await sendCommand(node.endpoint, 'CLUSTER', args, 500);
      } catch {
        // the next node may answer
      }
    }
    throw new Error(`no cluster node answers CLUSTER ${String(args[0])}`);
  }

  private async replicasOnline(): Promise<boolean> {
    for (const { primary } of await this.shards()) {
      const info = String(await sendCommand(primary.endpoint, 'INFO', ['replication'], 500).catch(() => ''));
      if ((info.match(/^slave\d+:.*state=online/gm) ?? []).length < this.replicasPerPrimary) return false;
    }
    return true;
  }

  private async allOk(): Promise<boolean> {
    for (const node of this.nodes.filter((n) => n.running)) {
      const info = String(await sendCommand(node.endpoint, 'CLUSTER', ['INFO'], 500).catch(() => ''));
      if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384\b/.test(info)) return false;
      const known = Number(/cluster_known_nodes:(\d+)/.exec(info)?.[1]);
      if (known !== this.nodes.length) return false;
    }
    return true;
  }
}

/** `[k1, v1, k2, v2, …]` → `{ k1: v1, … }`. */
function toRecord(fields: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i += 2) record[String(fields[i])] = fields[i + 1];
  return record;
}
