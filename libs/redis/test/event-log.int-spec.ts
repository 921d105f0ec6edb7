import { CapturedLogger, SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

describe('structured state-change logs on a real Sentinel group', () => {
  let topology: SentinelTopology;
  let app: RedisTestApp | undefined;
  const logs = new CapturedLogger();

  /** The captured lines of one event. */
  const linesOf = (event: string) => logs.lines.filter((line) => line.includes(`event=${event} `));

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    app = await startRedisModule(
      {
        sentinel: {
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          masterName: topology.masterName,
        },
        commandTimeoutMs: 500,
      },
      logs,
    );
  });
  afterAll(async () => {
    await app?.app.close();
    await topology?.stop();
  });

  it('logs each connection once when it first comes up', () => {
    expect(linesOf('redis.connected').filter((line) => line.includes('client="write client"'))).toHaveLength(1);
  });

  it('logs quorum lost and regained once each', async () => {
    const [first, second] = topology.sentinels;
    await first.kill();
    await second.kill();
    await waitFor(() => linesOf('sentinel.quorum-lost').length > 0, { description: 'quorum lost', timeoutMs: 20_000 });
    expect(linesOf('sentinel.quorum-lost')[0]).toMatch(
      /^warn event=sentinel\.quorum-lost master=mymaster reason="NOQUORUM [^"]*" \| Sentinel quorum for "mymaster" is lost/,
    );
    await first.start();
    await second.start();
    await topology.waitUntilSettled();
    await waitFor(() => linesOf('sentinel.quorum-regained').length > 0, {
      description: 'quorum regained',
      timeoutMs: 20_000,
    });
    expect(linesOf('sentinel.quorum-lost')).toHaveLength(1);
    expect(linesOf('sentinel.quorum-regained')).toHaveLength(1);
  });

  it('logs +sdown, +odown and the switch with from, to and duration, once each', async () => {
    const old = await topology.primary();
    await old.kill();
    const promoted = await topology.waitForNewPrimary(old.port);
    await waitFor(() => linesOf('redis.switch-master').length > 0, {
      description: 'the switch line',
      timeoutMs: 10_000,
    });
    const [switchLine] = linesOf('redis.switch-master');
    expect(switchLine).toMatch(
      new RegExp(
        `^warn event=redis\\.switch-master master=mymaster from=${old.host}:${old.port} to=${promoted.host}:${promoted.port} durationMs=\\d+ source=(switch-master|poll) \\| `,
      ),
    );
    const masterDown = (event: string) =>
      linesOf(event).filter((line) => line.includes(`master mymaster ${old.host} ${old.port}`));
    expect(masterDown('sentinel.+sdown')).toHaveLength(1);
    expect(masterDown('sentinel.+odown')).toHaveLength(1);
    expect(linesOf('redis.switch-master')).toHaveLength(1);
    expect(
      logs.lines.filter((line) => line.includes('event=redis.connection-lost client="write client"')).length,
    ).toBeLessThanOrEqual(1);
  });
});
