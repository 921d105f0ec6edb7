import { configIssues } from '@sentinel-kit/test-support';
import { resolveStatusPageOptions } from './status-page.options';

describe('resolveStatusPageOptions', () => {
  it('applies the defaults: open, 20 feeds, 4 per client, 256 KiB waiting, a frame a second, 2 minutes of chart', () => {
    const options = resolveStatusPageOptions({});
    expect(options).toMatchObject({
      token: undefined,
      maxStreams: 20,
      maxStreamsPerClient: 4,
      maxBufferedBytes: 262_144,
      intervalMs: 1000,
      chartPoints: 120,
    });
    const socket = { remoteAddress: '10.0.0.7' };
    expect(options.clientKey({ socket } as never)).toBe('10.0.0.7');
    expect(options.clientKey({ ip: '10.0.0.8', socket } as never)).toBe('10.0.0.8');
  });

  it('names every bad option, and never shows the token', () => {
    const issues = configIssues(() =>
      resolveStatusPageOptions({
        token: 'short-secret',
        maxStreams: 0,
        intervalMs: 10,
        clientKey: 'ip' as never,
        extra: true,
      } as never),
    );
    expect(issues).toEqual([
      'token: expected at least 16 characters',
      'maxStreams: expected an integer from 1 to 100000, got "0"',
      'intervalMs: expected an integer from 100 to 60000, got "10"',
      'clientKey: expected a function, got "ip"',
      '(options): unknown option(s) "extra"',
    ]);
    expect(issues.join('\n')).not.toContain('short-secret');
  });
});
