import { connectedReplicas, pairsToRecord, parseInfo } from './redis-replies';

describe('Redis reply parsing', () => {
  it('reads INFO replication, replicas included', () => {
    const info = parseInfo(
      '# Replication\r\nrole:master\r\nconnected_slaves:2\r\n' +
        'slave0:ip=127.0.0.1,port=7001,state=online,offset=120,lag=0\r\n' +
        'slave1:ip=10.0.0.2,port=7002,state=wait_bgsave,offset=0,lag=3\r\nmaster_repl_offset:128\r\n',
    );
    expect(info).toMatchObject({ role: 'master', connected_slaves: '2', master_repl_offset: '128' });
    expect(connectedReplicas(info)).toEqual([
      { host: '127.0.0.1', port: 7001, online: true, offset: 120, lagSeconds: 0 },
      { host: '10.0.0.2', port: 7002, online: false, offset: 0, lagSeconds: 3 },
    ]);
  });

  it('turns flat field/value replies into records', () => {
    expect(pairsToRecord(['name', 'mymaster', 'down-after-milliseconds', '2000', 'dangling'])).toEqual({
      name: 'mymaster',
      'down-after-milliseconds': '2000',
    });
  });
});
