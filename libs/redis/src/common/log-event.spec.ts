import { logEvent } from './log-event';

describe('logEvent', () => {
  it('writes the event, its fields and the text, quoting values with spaces and leaving out empty ones', () => {
    expect(
      logEvent(
        'sentinel.quorum-lost',
        { master: 'mymaster', reason: 'NOQUORUM 1 usable Sentinels', durationMs: null, count: 2 },
        'quorum lost',
      ),
    ).toBe('event=sentinel.quorum-lost master=mymaster reason="NOQUORUM 1 usable Sentinels" count=2 | quorum lost');
  });
});
