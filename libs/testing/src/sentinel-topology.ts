import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { sendCommand, type RedisEndpoint } from './redis-command';
import { tlsConfigLines, type TestCertificates } from './test-certificates';
import { RedisServerProcess } from './redis-server-process';
import { waitFor } from './wait-for';

/** Shape of a {@link SentinelTopology}. */
export interface SentinelTopologyOptions {
  /** Name of the monitored master. @default 'mymaster' */
  masterName?: string;
  /** Number of replicas. @default 2 */
  replicas?: number;
  /** Number of sentinels. @default 3 */
  sentinels?: number;
  /** Sentinels that must agree the master is down. @default 2 */
  quorum?: number;
  /** `down-after-milliseconds`. Keep it short for tests (1000–2000). @default 1000 */
  downAfterMs?: number;
  /** `failover-timeout`. @default 5000 */
  failoverTimeoutMs?: number;
  /** Extra config lines for every data node (primary and replicas). */
  dataNodeConfig?: readonly string[];
  /** Extra config lines for every sentinel. */
  sentinelConfig?: readonly string[];
  /** `requirepass` (and `masterauth`) of the data nodes; sentinels authenticate with it. */
  password?: string;
  /** `requirepass` of the sentinels (they also use it between themselves). */
  sentinelPassword?: string;
  /**
   * Sentinels that also listen with TLS on a port of their own (`RedisServerProcess.tlsPort`), with
   * these certificates' server certificate; they keep their plain port and talk plainly to the
   * data nodes.
   */
  sentinelTls?: TestCertificates;
  /** Leave the processes running after this Node.js process exits (for `cluster:up`). @default false */
  detached?: boolean;
  /** Parent directory of the topology's private directory. @default the OS temp directory */
  baseDir?: string;
}

/** Polling bounds for topology-wide waits. */
const READY_TIMEOUT_MS = 30_000;

/**
 * A real Redis Sentinel group on loopback: one primary, its replicas and its sentinels, each a
 * `redis-server` process with its own port, directory and writable config file.
 *
 * @example
 * const topology = await SentinelTopology.start({ downAfterMs: 1000 });
 * const old = await topology.primary();
 * await old.kill();
 * const next = await topology.waitForNewPrimary(old.port);
 * await topology.stop();
 */
export class SentinelTopology {
  private constructor(
    readonly masterName: string,
    readonly dir: string,
    /** Primary first at start; which one is primary later is asked of the sentinels. */
    readonly dataNodes: RedisServerProcess[],
    readonly sentinels: RedisServerProcess[],
    private readonly ownsDir: boolean,
  ) {}

  /** Starts every process and waits until replication is up and every sentinel sees the whole group. */
  static async start(options: SentinelTopologyOptions = {}): Promise<SentinelTopology> {
    const masterName = options.masterName ?? 'mymaster';
    const replicaCount = options.replicas ?? 2;
    const sentinelCount = options.sentinels ?? 3;
    const quorum = options.quorum ?? 2;
    const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), 'sentinel-kit-'));
    const detached = options.detached ?? false;
    const dataNodes: RedisServerProcess[] = [];
    const sentinels: RedisServerProcess[] = [];
    const topology = new SentinelTopology(masterName, dir, dataNodes, sentinels, options.baseDir === undefined);
    try {
      const dataAuth = options.password ? [`masterauth ${options.password}`] : [];
      const primary = new RedisServerProcess({
        port: await findFreePort(),
        dir: join(dir, 'node-0'),
        configLines: [...(options.dataNodeConfig ?? []), ...dataAuth],
        detached,
        password: options.password,
      });
      dataNodes.push(primary);
      await primary.start();
      for (let i = 1; i <= replicaCount; i += 1) {
        const replica = new RedisServerProcess({
          port: await findFreePort(),
          dir: join(dir, `node-${i}`),
          configLines: [...(options.dataNodeConfig ?? []), ...dataAuth, `replicaof ${primary.host} ${primary.port}`],
          detached,
          password: options.password,
        });
        dataNodes.push(replica);
        await replica.start();
      }
      for (let i = 0; i < sentinelCount; i += 1) {
        const tlsPort = options.sentinelTls ? await findFreePort() : undefined;
        const sentinel = new RedisServerProcess({
          port: await findFreePort(),
          tlsPort,
          dir: join(dir, `sentinel-${i}`),
          sentinel: true,
          detached,
          password: options.sentinelPassword,
          configLines: [
            `sentinel monitor ${masterName} ${primary.host} ${primary.port} ${quorum}`,
            ...(options.password ? [`sentinel auth-pass ${masterName} ${options.password}`] : []),
            ...(options.sentinelPassword ? [`sentinel sentinel-pass ${options.sentinelPassword}`] : []),
            `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1000}`,
            `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 5000}`,
            `sentinel parallel-syncs ${masterName} 1`,
            ...(options.sentinelConfig ?? []),
            ...(options.sentinelTls && tlsPort ? tlsConfigLines(options.sentinelTls, tlsPort) : []),
          ],
        });
        sentinels.push(sentinel);
        await sentinel.start();
      }
      await topology.waitUntilSettled(replicaCount);
      return topology;
    } catch (error) {
      await topology.stop();
      throw error;
    }
  }

  /** Sentinel addresses, in the form the module's `REDIS_SENTINELS` takes. */
  get sentinelList(): string {
    return this.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
  }

  /** The data node with this port. @throws when no node listens there. */
  node(port: number): RedisServerProcess {
    const found = this.dataNodes.find((n) => n.port === port);
    if (!found) throw new Error(`no data node on port ${port}`);
    return found;
  }

  /** The master address every running sentinel agrees on, or undefined while they disagree. */
  async agreedMaster(): Promise<RedisEndpoint | undefined> {
    const running = this.sentinels.filter((s) => s.running);
    const answers = await Promise.all(
      running.map((s) =>
        sendCommand(s.endpoint, 'SENTINEL', ['get-master-addr-by-name', this.masterName], 500).catch(() => null),
      ),
    );
    const keys = new Set(answers.map((a) => (Array.isArray(a) ? `${String(a[0])}:${String(a[1])}` : 'none')));
    if (keys.size !== 1 || keys.has('none')) return undefined;
    const [host, port] = answers[0] as [string, string];
    return { host, port: Number(port) };
  }

  /** The current primary's process, as the sentinels agree and the node itself confirms with `ROLE`. */
  async primary(timeoutMs = 10_000): Promise<RedisServerProcess> {
    return waitFor(
      async () => {
        const master = await this.agreedMaster();
        if (!master) return undefined;
        const node = this.node(master.port);
        const role = (await sendCommand(node.endpoint, 'ROLE', [], 500)) as unknown[];
        return role[0] === 'master' ? node : undefined;
      },
      { description: 'the sentinels to agree on a primary that answers ROLE master', timeoutMs },
    );
  }

  /** Running replicas of the current primary. */
  async replicas(): Promise<RedisServerProcess[]> {
    const primary = await this.primary();
    return this.dataNodes.filter((n) => n !== primary && n.running);
  }

  /**
   * Waits until every running sentinel names a primary other than `oldPort` and that node
   * answers `ROLE` as master. Returns the new primary.
   */
  async waitForNewPrimary(oldPort: number, timeoutMs = 20_000): Promise<RedisServerProcess> {
    return waitFor(
      async () => {
        const primary = await this.primary(1000).catch(() => undefined);
        return primary && primary.port !== oldPort ? primary : undefined;
      },
      { description: `a failover away from port ${oldPort}`, timeoutMs },
    );
  }

  /**
   * Waits until `expectedReplicas` (by default every other running data node) replicate from the
   * primary with the link up, and every running sentinel sees them and its running peers.
   */
  async waitUntilSettled(
    expectedReplicas = this.dataNodes.filter((n) => n.running).length - 1,
    timeoutMs = READY_TIMEOUT_MS,
  ): Promise<void> {
    const primary = await this.primary(timeoutMs);
    await waitFor(
      async () => {
        const info = String(await sendCommand(primary.endpoint, 'INFO', ['replication'], 500));
        const online = info.match(/^slave\d+:.*state=online/gm) ?? [];
        if (online.length < expectedReplicas) return false;
        for (const sentinel of this.sentinels.filter((s) => s.running)) {
          const fields = (await sendCommand(
            sentinel.endpoint,
            'SENTINEL',
            ['master', this.masterName],
            500,
          )) as string[];
          const view = toRecord(fields);
          if (Number(view['num-slaves']) < expectedReplicas) return false;
          if (Number(view['num-other-sentinels']) < this.sentinels.filter((s) => s.running).length - 1) return false;
          if (view['flags'] !== 'master') return false;
        }
        return true;
      },
      { description: 'replication and sentinel discovery to settle', timeoutMs },
    );
  }

  /** Stops every process (SIGTERM, then SIGKILL) and removes the private directory. */
  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.dataNodes].map((p) => p.stop()));
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Turns Redis' flat `[field, value, field, value…]` replies into a record. */
function toRecord(fields: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]] = fields[i + 1];
  return record;
}
