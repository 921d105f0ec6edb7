import { RedisConfigAdvisor } from '../src/health/redis-config.advisor';
import {
  CapturedLogger,
  RedisServerProcess,
  SentinelTopology,
  findFreePort,
  sendCommand,
  startStandaloneRedis,
  waitFor,
} from '@sentinel-kit/testing';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const PERSISTENCE = /^persistence is off on the primary/;
const MIN_REPLICAS = /^min-replicas-to-write is 0 on the primary/;

describe('RedisConfigAdvisor', () => {
  const apps: RedisTestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
  });

  it('warns about a primary without persistence, and not once persistence is on', async () => {
    const { server, dispose } = await startStandaloneRedis();
    try {
      const logs = new CapturedLogger();
      const app = await startRedisModule({ host: server.host, port: server.port }, logs);
      apps.push(app);
      const advisor = app.app.get(RedisConfigAdvisor);
      expect(await advisor.advise()).toEqual([expect.stringMatching(PERSISTENCE)]);
      await waitFor(() => logs.lines.some((line) => line.includes('event=redis.config-warning | persistence is off')), {
        description: 'the startup warning',
        timeoutMs: 5000,
      });
      await sendCommand(server.endpoint, 'CONFIG', ['SET', 'appendonly', 'yes']);
      expect(await advisor.advise()).toEqual([]);
    } finally {
      await dispose();
    }
  });

  describe('on a Sentinel group', () => {
    let topology: SentinelTopology;
    beforeAll(async () => {
      topology = await SentinelTopology.start({ downAfterMs: 2000 });
    });
    afterAll(async () => topology?.stop());

    const start = async (sentinels: RedisServerProcess[] = topology.sentinels) => {
      const app = await startRedisModule({
        sentinel: {
          sentinels: sentinels.map(({ host, port }) => ({ host, port })),
          masterName: topology.masterName,
        },
      });
      apps.push(app);
      return app.app.get(RedisConfigAdvisor);
    };

    it('warns about min-replicas-to-write 0 and a short down-after, per sentinel', async () => {
      const advisor = await start();
      expect(await advisor.advise()).toEqual([expect.stringMatching(PERSISTENCE), expect.stringMatching(MIN_REPLICAS)]);
      const [sentinel] = topology.sentinels;
      await sendCommand(sentinel.endpoint, 'SENTINEL', ['SET', topology.masterName, 'down-after-milliseconds', '1500']);
      try {
        expect(await advisor.advise()).toContain(
          `sentinel ${sentinel.host}:${sentinel.port}: down-after-milliseconds is 1500; below 2000 a busy machine sees spurious failovers`,
        );
      } finally {
        await sendCommand(sentinel.endpoint, 'SENTINEL', [
          'SET',
          topology.masterName,
          'down-after-milliseconds',
          '2000',
        ]);
      }
      const primary = await topology.primary();
      await sendCommand(primary.endpoint, 'CONFIG', ['SET', 'min-replicas-to-write', '1']);
      expect(await advisor.advise()).toEqual([expect.stringMatching(PERSISTENCE)]);
    });

    it('warns about a sentinel in TILT mode (its clock jumped: paused 3 s)', async () => {
      const advisor = await start();
      const sentinel = topology.sentinels[2];
      sentinel.pause();
      await sleep(3000);
      sentinel.resume();
      await waitFor(
        async () =>
          (await advisor.advise()).some(
            (w) =>
              w ===
              `sentinel ${sentinel.host}:${sentinel.port} is in TILT mode: it acts on nothing until its clock is steady for 30 s`,
          ),
        { description: 'the TILT warning', timeoutMs: 5000 },
      );
    });

    it('warns about two sentinels sharing one id, as a shared config file makes them', async () => {
      const [first] = topology.sentinels;
      const primary = await topology.primary();
      const id = String(await sendCommand(first.endpoint, 'SENTINEL', ['MYID']));
      const clone = new RedisServerProcess({
        port: await findFreePort(),
        dir: join(topology.dir, 'sentinel-clone'),
        sentinel: true,
        configLines: [
          `sentinel myid ${id}`,
          `sentinel monitor ${topology.masterName} ${primary.host} ${primary.port} 2`,
          `sentinel down-after-milliseconds ${topology.masterName} 2000`,
        ],
      });
      await clone.start();
      try {
        const advisor = await start([...topology.sentinels, clone]);
        expect(await advisor.advise()).toContain(
          `sentinels ${first.host}:${first.port}, ${clone.host}:${clone.port} share one sentinel id: they were started from one config file; give each sentinel its own writable copy`,
        );
      } finally {
        await clone.stop();
      }
    });
  });
});
