import { reportMeasure } from '@sentinel-kit/test-support';
import { ClusterTopology } from './cluster-topology';
import { sendCommand } from './redis-command';

describe('ClusterTopology (the harness)', () => {
  let cluster: ClusterTopology;
  beforeAll(async () => {
    cluster = await ClusterTopology.start({ nodeTimeoutMs: 1000 });
  });
  afterAll(() => cluster?.stop());

  it('makes 3 shards of a primary and a replica that cover every slot', async () => {
    const shards = await cluster.shards();
    expect(shards.map(({ replicas }) => replicas.length)).toEqual([1, 1, 1]);
    const slots = shards.flatMap(({ slots }) => slots).reduce((sum, [from, to]) => sum + to - from + 1, 0);
    expect(slots).toBe(16_384);
    expect(new Set(shards.map(({ primary }) => primary.port)).size).toBe(3);
    expect(cluster.seedList.split(',')).toHaveLength(6);
  });

  it('routes a key to its shard: its primary takes it, another primary answers MOVED', async () => {
    const shard = await cluster.shardOf('harness:key');
    expect(await sendCommand(shard.primary.endpoint, 'SET', ['harness:key', 'v'])).toBe('OK');
    const other = (await cluster.shards()).find(({ primary }) => primary !== shard.primary)!;
    await expect(sendCommand(other.primary.endpoint, 'GET', ['harness:key'])).rejects.toThrow(/MOVED/);
  });

  it('promotes the replica when its primary is SIGKILLed, with the acknowledged write', async () => {
    const shard = await cluster.shardOf('harness:durable');
    await sendCommand(shard.primary.endpoint, 'SET', ['harness:durable', 'kept']);
    expect(await sendCommand(shard.primary.endpoint, 'WAIT', [1, 2000], 3000)).toBe(1);
    const killedAt = performance.now();
    await shard.primary.kill();
    const next = await cluster.waitForFailover(shard);
    reportMeasure('cluster shard failover after SIGKILL (node timeout 1000 ms)', performance.now() - killedAt, 'ms');
    expect(next).toBe(shard.replicas[0]);
    expect(await sendCommand(next.endpoint, 'GET', ['harness:durable'])).toBe('kept');
  });
});
