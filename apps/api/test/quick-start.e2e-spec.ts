import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusFrame } from '@sentinel-kit/redis/status-page';
import { findFreePort, sendCommand, startStandaloneRedis, waitFor } from '@sentinel-kit/testing';
import { SseClient } from '@sentinel-kit/test-support';

/** A process' pid and command line, from /proc (the pid alone once it is gone). */
function commandLineOf(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`;
  } catch {
    return String(pid);
  }
}

const ROOT = join(__dirname, '..', '..', '..');

/** The commands of the n-th bash block of the README's quick start, comments removed. */
function quickStartCommands(block = 0): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const text = [...section.matchAll(/```bash\n([\s\S]*?)```/g)][block]?.[1] ?? '';
  return text
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** Environment of a new user's shell: none of our variables, and nothing pointing at a real Redis. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(REDIS_|SESSION_|RATE_LIMIT_|DEMO_|LOGIN_|EVENTS_|HEALTH_|ADMIN_|LOG_|PORT$|TRUST_PROXY|SHUTDOWN_)/.test(
          name,
        ),
    ),
  );
  return { ...env, ...extra };
}

/** Output of a child process, kept for the assertion messages. */
function capture(child: ChildProcess): { text: () => string } {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { text: () => output };
}

async function httpStatus(url: string, init?: RequestInit): Promise<number | string> {
  try {
    return (await fetch(url, { ...init, signal: AbortSignal.timeout(3000) })).status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code ?? String(error);
  }
}

/** Ends a process group: SIGTERM, then SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('the README quick start, as a new user runs it', () => {
  const children: ChildProcess[] = [];
  /** The demo's own processes (Redis and the API run detached from npm's process group). */
  const demoPids: number[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => stopGroup(child).catch(() => undefined)));
    // Whatever a failed run left behind.
    for (const pid of demoPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('names npm ci, then the command that runs the API, then the test command CI runs', () => {
    const commands = quickStartCommands();
    expect(commands).toHaveLength(3);
    expect(commands[0]).toBe('npm ci');
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n');
    expect(ci).toContain(commands[2]);
  });

  it('command 1 serves /health with 200 and the demo routes with no Redis reachable', async () => {
    const [, runApi] = quickStartCommands();
    const port = await findFreePort();
    // "No Redis": the default address, moved to a free port so the test never touches 6379.
    const child = spawn('sh', ['-c', runApi], {
      cwd: ROOT,
      detached: true,
      env: cleanEnv({ PORT: String(port), REDIS_PORT: String(await findFreePort()) }),
    });
    children.push(child);
    const output = capture(child);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await httpStatus(`${base}/health`)) === 200, {
        description: `"${runApi}" to answer 200 on /health`,
        timeoutMs: 150_000,
        intervalMs: 500,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${output.text()}`);
    }
    // The README's curl lines, as printed (a backgrounded stream aside), against this port.
    const examples = quickStartCommands(1).filter((line) => !line.endsWith('&'));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    // In a directory of their own: the session lines keep their cookie in a file.
    const cwd = mkdtempSync(join(tmpdir(), 'sentinel-kit-quick-start-'));
    try {
      for (const line of examples) {
        const command = line
          .replaceAll('localhost:3000', `127.0.0.1:${port}`)
          .replace(/^curl /, 'curl -sSf --max-time 5 ');
        expect({ line, output: execFileSync('sh', ['-c', command], { encoding: 'utf8', cwd }).length > 0 }).toEqual({
          line,
          output: true,
        });
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    const health = (await (await fetch(`${base}/health`)).json()) as { details: { redis: Record<string, unknown> } };
    expect(health).toMatchObject({ status: 'degraded', details: { redis: { status: 'degraded', degraded: true } } });
    const cached = (await (await fetch(`${base}/demo/cache/newcomer`)).json()) as Record<string, unknown>;
    expect(cached).toMatchObject({ source: 'loader', degraded: true });
    const again = (await (await fetch(`${base}/demo/cache/newcomer`)).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ source: 'cache', degraded: true });
    const posted = await fetch(`${base}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'hello' }),
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toMatchObject({ reach: 'local' });
    // The status page serves too, and its feed says what is true: no primary, degraded.
    expect((await fetch(`${base}/status`)).status).toBe(200);
    const feed = await SseClient.open(`${base}/status/stream`);
    try {
      await feed.waitFor('a status frame', (events) => events.some((e) => e.event === 'status'));
      const frame = feed.events.find((e) => e.event === 'status')!.data as StatusFrame;
      expect(frame).toMatchObject({ view: { mode: 'standalone', primary: null }, circuit: { state: 'degraded' } });
    } finally {
      feed.close();
    }
    await stopGroup(child);
  });

  it('npm run demo starts a Sentinel group and the API, prints a kill command that makes /health show a failover, and Ctrl-C leaves nothing behind', async () => {
    const port = await findFreePort();
    const child = spawn('npm', ['run', 'demo'], {
      cwd: ROOT,
      detached: true,
      env: cleanEnv({ PORT: String(port), SENTINEL_DOWN_AFTER_MS: '2000' }),
    });
    children.push(child);
    const output = capture(child);
    try {
      await waitFor(() => output.text().includes('Ctrl-C stops'), {
        description: 'the demo to print what to try',
        timeoutMs: 150_000,
        intervalMs: 200,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${output.text()}`);
    }
    const text = output.text();
    const pids = [...text.matchAll(/ pid (\d+)$/gm)].map((m) => Number(m[1]));
    demoPids.push(...pids);
    expect(pids).toHaveLength(7);
    const health = async () =>
      (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
        details: { redis: { mode: string; sentinel: { failoverCount: number } } };
      };
    expect((await health()).details.redis).toMatchObject({ mode: 'sentinel', sentinel: { failoverCount: 0 } });

    const kill = /^\s+(kill -9 \d+)\s+# the primary/m.exec(text)?.[1];
    expect(kill).toBeDefined();
    spawn('sh', ['-c', kill!]);
    await waitFor(async () => (await health()).details.redis.sentinel.failoverCount === 1, {
      description: '/health to show the failover',
      timeoutMs: 20_000,
      intervalMs: 250,
    });

    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // npm returns at once; the demo then drains the API and stops Redis.
    const alive = () =>
      pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
    await waitFor(
      () => {
        const left = alive();
        // Thrown, so that a timeout names the processes still running.
        if (left.length > 0) throw new Error(`still running: ${left.map(commandLineOf).join('; ')}`);
        return true;
      },
      // The API drains for up to SHUTDOWN_GRACE_MS (10 s), then the group stops: generous on a loaded machine.
      { description: 'every process of the demo to stop', timeoutMs: 40_000 },
    );
  });

  it('npm run switchover, built with the API, starts the Redis module and gives a refusal its reason', async () => {
    const { server, dispose } = await startStandaloneRedis();
    try {
      const child = spawn(process.execPath, [join(ROOT, 'dist/scripts/switchover.js')], {
        cwd: ROOT,
        env: cleanEnv({ REDIS_HOST: server.host, REDIS_PORT: String(server.port) }),
      });
      children.push(child);
      const output = capture(child);
      const [code] = (await once(child, 'exit')) as [number | null];
      expect({ code, output: output.text() }).toEqual({
        code: 1,
        output: expect.stringContaining('switchover refused: a switchover needs Sentinel or Cluster mode') as string,
      });
    } finally {
      await dispose();
    }
  });

  it('the built API drains on SIGTERM: in-flight requests finish, streams end, new connections are refused, Redis closes', async () => {
    const { server, dispose } = await startStandaloneRedis();
    try {
      const port = await findFreePort();
      const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], {
        cwd: ROOT,
        env: cleanEnv({
          PORT: String(port),
          REDIS_HOST: server.host,
          REDIS_PORT: String(server.port),
          LOG_FORMAT: 'json',
          SHUTDOWN_GRACE_MS: '5000',
        }),
      });
      children.push(child);
      const output = capture(child);
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await httpStatus(`${base}/health/ready`)) === 200, {
        description: 'the built API to be ready',
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      const stream = await SseClient.open(`${base}/events`);
      const slow = fetch(`${base}/demo/cache/draining`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const exited = once(child, 'exit');
      child.kill('SIGTERM');

      await waitFor(async () => (await httpStatus(`${base}/health/live`)) === 'ECONNREFUSED', {
        description: 'new connections to be refused',
        timeoutMs: 5000,
        intervalMs: 20,
      });
      await stream.waitFor('the event stream to end', () => stream.ended, 5000);
      expect(await slow).toMatchObject({ status: 200, body: { source: 'loader' } });
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      // Nest re-raises the signal once the app is closed.
      expect(code === 0 || signal === 'SIGTERM').toBe(true);

      const events = output
        .text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => String((JSON.parse(line) as { message: unknown }).message));
      expect(events.some((m) => m.startsWith('event=api.shutdown signal=SIGTERM'))).toBe(true);
      expect(events.some((m) => m.startsWith('event=api.drained'))).toBe(true);
      const clients = String(await sendCommand(server.endpoint, 'CLIENT', ['LIST']));
      expect(clients).not.toMatch(/sentinel-kit:/);
    } finally {
      await dispose();
    }
  });
});
