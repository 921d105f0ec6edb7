/**
 * `npm run cluster:up` / `npm run cluster:down`: a local Redis Sentinel group (1 primary,
 * 2 replicas, 3 sentinels) with the settings of docker-compose.redis-sentinel.yml, or with
 * `-- --cluster` a Redis Cluster of 6 nodes (3 primaries, 3 replicas), from the `redis-server` on
 * PATH, without Docker. State lives in `.cluster/`; the processes keep running after this script
 * exits until `cluster:down`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { printableEnv, startLocalDeployment } from './local-group';

const CLUSTER_DIR = join(__dirname, '..', '.cluster');
const STATE_FILE = join(CLUSTER_DIR, 'state.json');
const ENV_FILE = join(CLUSTER_DIR, 'redis-sentinel.env');

interface ClusterState {
  pids: number[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState(): ClusterState | undefined {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ClusterState) : undefined;
}

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function up(): Promise<void> {
  const running = readState();
  if (running?.pids.some(isAlive)) {
    print([`A cluster is already running; its settings are in ${ENV_FILE}. Stop it with: npm run cluster:down`]);
    return;
  }
  mkdirSync(CLUSTER_DIR, { recursive: true });
  const deployment = await startLocalDeployment(process.argv.slice(3), process.env, {
    baseDir: CLUSTER_DIR,
    detached: true,
  });
  writeFileSync(STATE_FILE, JSON.stringify({ pids: deployment.pids }, null, 2));
  writeFileSync(ENV_FILE, `${deployment.env.join('\n')}\n`, { mode: 0o600 });
  print([
    ...(await deployment.describe()),
    '',
    `Give the API these settings (also written to ${ENV_FILE}):`,
    '',
    ...printableEnv(deployment.env),
    '',
    `For example: env $(cat ${ENV_FILE} | xargs) npm start`,
    'Stop it with: npm run cluster:down',
  ]);
}

async function down(): Promise<void> {
  const state = readState();
  if (!state) {
    print(['No cluster is running.']);
    return;
  }
  for (const pid of state.pids.filter(isAlive)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (state.pids.some(isAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of state.pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  rmSync(CLUSTER_DIR, { recursive: true, force: true });
  print([`Stopped ${state.pids.length} processes and removed ${CLUSTER_DIR}.`]);
}

const command = process.argv[2];
const actions: Record<string, () => Promise<void>> = { up, down };
const action = command ? actions[command] : undefined;
if (!action) {
  process.stderr.write('usage: tsx scripts/cluster.ts up [--cluster] | down\n');
  process.exit(2);
}
action().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
