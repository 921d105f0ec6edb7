import { parseClusterShards } from './cluster-shards';

/** One `CLUSTER SHARDS` node entry, as Redis 7 sends it. */
const node = (port: number, role: string, health: string, offset: number, tlsPort?: number) => [
  'id',
  `node-${port}`,
  'port',
  port,
  ...(tlsPort === undefined ? [] : ['tls-port', tlsPort]),
  'ip',
  '10.0.0.1',
  'endpoint',
  '10.0.0.1',
  'role',
  role,
  'replication-offset',
  offset,
  'health',
  health,
];

describe('parseClusterShards', () => {
  it('reads each shard: slot ranges in order, the primary, replicas with their lag; shards sorted by slot', () => {
    const reply = [
      ['slots', [10923, 16383], 'nodes', [node(7002, 'master', 'online', 900), node(7005, 'replica', 'online', 880)]],
      ['slots', [5461, 5461, 0, 5460], 'nodes', [node(7000, 'master', 'online', 500)]],
      ['slots', [], 'nodes', [node(7009, 'master', 'online', 0)]],
    ];
    expect(parseClusterShards(reply, false)).toEqual([
      {
        id: '0-5460,5461',
        slots: [
          [0, 5460],
          [5461, 5461],
        ],
        primary: { host: '10.0.0.1', port: 7000, health: 'online', replicationOffset: 500 },
        replicas: [],
      },
      {
        id: '10923-16383',
        slots: [[10923, 16383]],
        primary: { host: '10.0.0.1', port: 7002, health: 'online', replicationOffset: 900 },
        replicas: [{ host: '10.0.0.1', port: 7005, health: 'online', replicationOffset: 880, offsetLagBytes: 20 }],
      },
    ]);
  });

  it('gives a shard whose primary failed no primary, and its replicas no lag', () => {
    const reply = [
      ['slots', [0, 16383], 'nodes', [node(7000, 'master', 'failed', 500), node(7003, 'replica', 'online', 480)]],
    ];
    const [shard] = parseClusterShards(reply, false);
    expect(shard.primary).toBeNull();
    expect(shard.replicas).toEqual([expect.objectContaining({ port: 7003, offsetLagBytes: null })]);
  });

  it('uses the TLS port when the client speaks TLS, and ignores what is not a shard list', () => {
    const reply = [['slots', [0, 16383], 'nodes', [node(7000, 'master', 'online', 1, 17000)]]];
    expect(parseClusterShards(reply, true)[0].primary?.port).toBe(17000);
    expect(parseClusterShards(reply, false)[0].primary?.port).toBe(7000);
    expect(parseClusterShards(null, false)).toEqual([]);
    expect(parseClusterShards('ERR unknown command', false)).toEqual([]);
  });
});
