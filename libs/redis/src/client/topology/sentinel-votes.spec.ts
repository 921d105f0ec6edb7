import { majorityPrimary, quorumFrom } from './sentinel-votes';

describe('majorityPrimary', () => {
  it('takes the address more than half of the answering sentinels name', () => {
    expect(
      majorityPrimary([
        ['10.0.0.2', '6380'],
        ['10.0.0.2', '6380'],
        ['10.0.0.1', '6379'],
      ]),
    ).toEqual({
      host: '10.0.0.2',
      port: 6380,
    });
  });

  it('counts only sentinels that answered', () => {
    expect(majorityPrimary([null, new Error('NOPERM'), ['10.0.0.2', '6380']])).toEqual({
      host: '10.0.0.2',
      port: 6380,
    });
  });

  it('names nobody on a tie or without answers', () => {
    expect(
      majorityPrimary([
        ['10.0.0.2', '6380'],
        ['10.0.0.1', '6379'],
      ]),
    ).toBeUndefined();
    expect(majorityPrimary([null, null])).toBeUndefined();
  });
});

describe('quorumFrom', () => {
  it('is reached when any sentinel says OK', () => {
    expect(quorumFrom([null, 'OK 3 usable Sentinels. Quorum and failover authorization can be reached'])).toEqual({
      ok: true,
      message: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached',
    });
  });

  it('gives the first refusal, else says nobody answered', () => {
    expect(quorumFrom([null, new Error('NOQUORUM 1 usable Sentinels'), new Error('NOPERM no')])).toEqual({
      ok: false,
      message: 'NOQUORUM 1 usable Sentinels',
    });
    expect(quorumFrom([null, null])).toEqual({ ok: false, message: 'no sentinel answered' });
    expect(quorumFrom([])).toEqual({ ok: false, message: 'no sentinel answered' });
  });
});
