/**
 * `npm run demo`: a local Sentinel group (as `cluster:up` starts it), or with `-- --cluster` a local
 * Redis Cluster, and the built sample API wired to it, then what to try, including the command
 * that kills a primary. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitFor } from '@sentinel-kit/testing';
import { startLocalDeployment } from './local-group';

const API_MAIN = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');
/** Longer than the API's default drain (SHUTDOWN_GRACE_MS). */
const API_STOP_TIMEOUT_MS = 15_000;

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const port = process.env.PORT || '3000';
  const base = `http://localhost:${port}`;
  const argv = process.argv.slice(2);
  print([`Starting a local ${argv.includes('--cluster') ? 'Redis Cluster' : 'Redis Sentinel group'}…`]);
  // Detached like the API, so that a Ctrl-C stops the API first and Redis after it; never left behind.
  const group = await startLocalDeployment(argv, process.env, { detached: true });
  process.once('exit', () => {
    for (const pid of group.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  const groupEnv = Object.fromEntries(
    group.env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  // Its own process group: a Ctrl-C reaches it once, from us, so its drain is not cut short.
  const api = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, ...groupEnv, PORT: port },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const apiExited = once(api, 'exit');

  // The whole process group gets a Ctrl-C, and tsx relays it to this process once more: a
  // repeated signal must not cut the stop short (the default action would kill this process
  // before the Redis group is stopped).
  let stopping: Promise<never> | undefined;
  const stop = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      print(['', `Stopping the API and the ${group.name}…`]);
      if (api.exitCode === null && api.signalCode === null) {
        api.kill('SIGTERM');
        const timer = setTimeout(() => api.kill('SIGKILL'), API_STOP_TIMEOUT_MS);
        await apiExited;
        clearTimeout(timer);
      }
      await group.stop();
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void apiExited.then(() => {
    if (stopping === undefined) {
      print([`The API exited; stopping the ${group.name}.`]);
      void stop(1);
    }
  });

  await waitFor(() => isReady(`${base}/health/ready`), {
    description: `the API on ${base}`,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  const victim = await group.failoverVictim();
  const json = `-H 'Content-Type: application/json'`;
  print([
    '',
    ...(await group.describe()),
    `  api      ${base}  pid ${api.pid}`,
    '',
    'Try:',
    `  curl ${base}/health                      # the mode, the primary (or the shards), failovers so far`,
    `  curl ${base}/demo/cache/alice            # slow the first time ("loader"), then fast ("cache")`,
    `  curl -N ${base}/events                   # a live event stream; keep it open in another terminal`,
    `  curl -XPOST ${base}/events ${json} -d '{"type":"hello","data":{"n":1}}'`,
    `  curl -c jar -XPOST ${base}/sessions ${json} -d '{"userId":"alice"}'   # the demo login: a sid cookie`,
    `  curl -b jar ${base}/sessions/current       # your session, through the cookie`,
    '',
    'Watch a failover:',
    `  open ${base}/status in a browser           # the live status page: primary, replicas, sentinels, failovers`,
    `  kill -9 ${victim.pid}                         # ${victim.what}, ${victim.host}:${victim.port}`,
    `  curl ${base}/health                      # ${victim.after}`,
    '  The status page shows the new primary and the failover; the event stream reports "interrupted",',
    '  then "resumed"; the API log shows event=redis.switch-master.',
    '',
    `Ctrl-C stops the API and the ${group.name}.`,
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
