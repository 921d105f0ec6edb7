import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  findFreePort,
  sendCommand,
  startStandaloneRedis,
  waitFor,
  type RedisServerProcess,
} from '@sentinel-kit/testing';
import type { StatusFrame } from '@sentinel-kit/redis/status-page';
import { SseClient } from '@sentinel-kit/test-support';

/**
 * The packages as an outside app gets them. `npm run pack` builds the tarballs (into a temporary
 * directory of this suite's); each example (a
 * NestJS 12 app, ESM as `nest new` makes it today, and a NestJS 11 CommonJS app) is copied with the
 * app code both share (`examples/app/src`, the code the READMEs show) into a temporary directory,
 * where npm installs the tarballs and the example's own dependencies. Then it builds with
 * `nest build`, runs its unit test (on `RedisTestingModule`), and serves `/health`, a cached call, a
 * session, the status page and a rate limit against a real redis-server.
 */
const ROOT = join(__dirname, '..');
const EXAMPLES = ['nest12-esm', 'nest11-cjs'];
const STATUS_TOKEN = 'a-token-for-the-status-page';
const execFileAsync = promisify(execFile);

/**
 * Runs a command to its end, niced: installs and builds are heavy on the CPU, and the suites running
 * beside this one measure timings. Only by 5: this suite is the longest of `npm test`, which ends
 * when it does (niced by 10, the others starved it to 308 s; by 15, to 307 s before Cluster mode).
 * Its output is in the error when it fails.
 */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync('nice', ['-n', '5', command, ...args], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
      env: { ...process.env, NODE_ENV: 'test', npm_config_audit: 'false', npm_config_fund: 'false' },
    });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`);
  }
}

/** The freshly packed tarball of `@sentinel-kit/<name>` in `packages`. */
function tarball(packages: string, packageName: string): string {
  const prefix = `${packageName.slice(1).replace('/', '-')}-`;
  const file = readdirSync(packages).find((name) => name.startsWith(prefix) && name.endsWith('.tgz'));
  if (!file) throw new Error(`no tarball for ${packageName} in ${packages}`);
  return join(packages, file);
}

/**
 * Installs the example into `dir`, a temporary directory, with the shared app code: first everything its
 * lock file pins (all but the `@sentinel-kit/*` packages, which no registry has), with `npm ci`,
 * then the fresh tarballs of those.
 */
async function installExample(example: string, dir: string, packages: string): Promise<void> {
  cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
  cpSync(join(ROOT, 'examples', 'app', 'src'), join(dir, 'src'), { recursive: true });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Record<string, string>>;
  const ours: string[] = [];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(manifest[field]).filter((dependency) => dependency.startsWith('@sentinel-kit/'))) {
      ours.push(tarball(packages, name));
      delete manifest[field][name];
    }
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  await run('npm', ['ci'], dir);
  await run('npm', ['install', '--no-save', ...ours], dir);
}

/** Ends a process: SIGTERM, then SIGKILL if it lingers. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('the packages in outside apps', () => {
  const dirs = new Map<string, string>();
  // Not dist/packages: a `nest build` of another suite (deleteOutDir) could empty it meanwhile.
  const packages = mkdtempSync(join(tmpdir(), 'sentinel-kit-packages-'));
  let redis: { server: RedisServerProcess; dispose: () => Promise<void> };

  beforeAll(async () => {
    await run('npm', ['run', 'pack', '--', '--out', packages], ROOT);
    // Each directory is known before its install, so that afterAll removes it even when that fails.
    for (const example of EXAMPLES) dirs.set(example, mkdtempSync(join(tmpdir(), `sentinel-kit-${example}-`)));
    await Promise.all(EXAMPLES.map((example) => installExample(example, dirs.get(example)!, packages)));
    redis = await startStandaloneRedis();
  }, 600_000);

  afterAll(async () => {
    await redis?.dispose();
    for (const dir of [...dirs.values(), packages]) rmSync(dir, { recursive: true, force: true });
  });

  describe.each(EXAMPLES)('%s', (example) => {
    it('builds with nest build and passes its unit test on RedisTestingModule', async () => {
      const dir = dirs.get(example)!;
      await run('npm', ['run', 'build'], dir);
      expect(await run('npm', ['test'], dir)).toMatch(/1 passed/);
    }, 180_000);

    it('serves /health, a cached call, a session, the status page and a rate limit against redis-server', async () => {
      const port = await findFreePort();
      // Both examples share the redis-server: a prefix each, or they would share rate-limit buckets too.
      const keyPrefix = `${example.split('-')[0]}:`;
      const base = `http://127.0.0.1:${port}`;
      const app = spawn('node', ['dist/main.js'], {
        cwd: dirs.get(example),
        env: {
          PATH: process.env.PATH,
          REDIS_HOST: redis.server.host,
          REDIS_PORT: String(redis.server.port),
          REDIS_KEY_PREFIX: keyPrefix,
          STATUS_TOKEN,
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      app.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const health = await waitFor(
          async () => {
            const response = await fetch(`${base}/health`).catch(() => null);
            return response?.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
          },
          { description: `${example} to answer /health (output: ${output})`, timeoutMs: 30_000 },
        );
        expect(health).toMatchObject({
          status: 'ok',
          details: { redis: { status: 'up', connected: true, mode: 'standalone' } },
        });

        const first = (await (await fetch(`${base}/greetings/${example}`)).json()) as Record<string, string>;
        expect(first.greeting).toBe(`Hello, ${example}!`);
        const again = (await (await fetch(`${base}/greetings/${example}`)).json()) as Record<string, string>;
        expect(again).toEqual(first); // from the cache: composed once
        const stored = await sendCommand(redis.server.endpoint, 'GET', [`${keyPrefix}greeting:${example}`]);
        expect(JSON.parse(stored as string)).toEqual(first); // in Redis, under the key prefix

        const created = await fetch(`${base}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'ada' }),
        });
        expect(created.status).toBe(201);
        const { token } = (await created.json()) as { token: string };
        const current = await fetch(`${base}/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
        expect(await current.json()).toMatchObject({ userId: 'ada' });
        const stranger = await fetch(`${base}/sessions/current`, { headers: { authorization: 'Bearer nope' } });
        expect(stranger.status).toBe(401);

        // The status page: its document, and its feed behind the token with the view of the group.
        const page = await fetch(`${base}/status`);
        expect([page.status, (await page.text()).includes('<title>Redis status</title>')]).toEqual([200, true]);
        expect((await fetch(`${base}/status/stream`)).status).toBe(401);
        const feed = await SseClient.open(`${base}/status/stream`, { Authorization: `Bearer ${STATUS_TOKEN}` });
        try {
          await feed.waitFor('a status frame', (events) => events.some((e) => e.event === 'status'));
          const frame = feed.events.find((e) => e.event === 'status')!.data as StatusFrame;
          expect(frame).toMatchObject({
            view: { mode: 'standalone', primary: { port: redis.server.port } },
            circuit: { state: 'connected' },
          });
        } finally {
          feed.close();
        }

        const statuses: number[] = [];
        for (let request = 0; request < 4; request += 1) {
          statuses.push((await fetch(`${base}/greetings/${example}`)).status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]); // 5 per 10 s, two spent above
        expect(output).not.toMatch(/ExperimentalWarning|ERROR/);
      } finally {
        await stop(app);
      }
    }, 60_000);
  });
});
