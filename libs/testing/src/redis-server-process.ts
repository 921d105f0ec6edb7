import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendCommand, type RedisEndpoint } from './redis-command';
import { waitFor } from './wait-for';

/** How a {@link RedisServerProcess} is run. */
export interface RedisServerProcessOptions {
  /** Loopback port to listen on. */
  port: number;
  /** Private working directory (config, logs, sentinel state). */
  dir: string;
  /** Extra `redis.conf` / `sentinel.conf` lines. */
  configLines?: string[];
  /** Start with `--sentinel`. @default false */
  sentinel?: boolean;
  /** Leave the process running when this Node.js process exits (used by `cluster:up`). @default false */
  detached?: boolean;
  /** Binary to run. @default `REDIS_SERVER_BIN` or `redis-server` */
  binary?: string;
  /** `requirepass` of a data node or sentinel; the harness' own checks authenticate with it. */
  password?: string;
  /**
   * A TLS port it also listens on (its `tls-*` lines come with `configLines`, see
   * `tlsConfigLines`); the harness keeps using the plain port.
   */
  tlsPort?: number;
}

/** Children that must not outlive this Node.js process, killed on exit even if a test crashed. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/**
 * One `redis-server` (or sentinel) process on a loopback port, with its own directory and
 * config file, that a test can pause, kill and restart.
 *
 * @example
 * const node = new RedisServerProcess({ port: await findFreePort(), dir });
 * await node.start();
 * node.pause(); // SIGSTOP: the socket stays open but nothing answers
 * node.resume();
 * await node.stop();
 */
export class RedisServerProcess {
  readonly host = '127.0.0.1';
  readonly port: number;
  private child?: ChildProcess;
  private paused = false;
  private readonly configFile: string;

  constructor(private readonly options: RedisServerProcessOptions) {
    this.port = options.port;
    mkdirSync(options.dir, { recursive: true });
    this.configFile = join(options.dir, options.sentinel ? 'sentinel.conf' : 'redis.conf');
    writeFileSync(this.configFile, this.baseConfig().join('\n') + '\n');
  }

  /** The TLS port it also listens on, if it was given one. */
  get tlsPort(): number | undefined {
    return this.options.tlsPort;
  }

  /** `{ host, port }` of this process (and its password, when it has one). */
  get endpoint(): RedisEndpoint {
    return { host: this.host, port: this.port, password: this.options.password };
  }

  /** The operating-system process id while running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the process is running (paused counts as running). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process (again, after a kill, with the config it rewrote) and waits until `PING` answers. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`redis-server on port ${this.port} is already running`);
    const args = [this.configFile, ...(this.options.sentinel ? ['--sentinel'] : [])];
    const child = spawn(this.options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server', args, {
      cwd: this.options.dir,
      stdio: 'ignore',
      detached: this.options.detached ?? false,
    });
    this.child = child;
    this.paused = false;
    if (this.options.detached) {
      child.unref();
    } else {
      liveChildren.add(child);
      child.once('exit', () => liveChildren.delete(child));
    }
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start redis-server: ${error.message}`)));
    });
    await Promise.race([
      spawnError,
      waitFor(
        async () => {
          if (!this.running) throw new Error(`process exited; see ${this.options.dir}`);
          return (await sendCommand(this.endpoint, 'PING', [], 500)) === 'PONG';
        },
        { description: `redis-server on port ${this.port} to answer PING`, timeoutMs: 10_000 },
      ),
    ]);
  }

  /** SIGSTOP: the process hangs with its sockets open, like a frozen VM. */
  pause(): void {
    this.signal('SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    this.signal('SIGCONT');
    this.paused = false;
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. A paused process is killed at once. */
  async stop(graceMs = 2000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    if (this.paused) return this.kill();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kill (SIGKILL) and start again on the same port with the same directory. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** The config file's lines: loopback only, no persistence, logs in the node's directory. */
  private baseConfig(): string[] {
    const common = [
      `port ${this.port}`,
      'bind 127.0.0.1',
      `dir ${this.options.dir}`,
      `logfile ${join(this.options.dir, 'server.log')}`,
      'daemonize no',
    ];
    const dataNode = ['save ""', 'appendonly no', 'enable-debug-command local', 'protected-mode no'];
    const auth = this.options.password ? [`requirepass ${this.options.password}`] : [];
    return [...common, ...(this.options.sentinel ? [] : dataNode), ...auth, ...(this.options.configLines ?? [])];
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.child || !this.running) throw new Error(`redis-server on port ${this.port} is not running`);
    this.child.kill(signal);
  }
}
