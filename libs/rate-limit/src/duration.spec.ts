import { parseDuration, parseRateSpec } from './duration';

describe('parseDuration / parseRateSpec', () => {
  it.each([
    [1500, 1500],
    ['500ms', 500],
    ['60s', 60_000],
    [' 15m ', 900_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
  ])('reads %p', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '60', '1w', '-5s', '0s', '1.5s'])('rejects %p, quoting it', (text) => {
    expect(() => parseDuration(text)).toThrow(`got "${text}"`);
  });

  it('rejects a non-positive or fractional number', () => {
    expect(() => parseDuration(0)).toThrow(RangeError);
    expect(() => parseDuration(1.5)).toThrow(RangeError);
  });

  it('reads POINTS/DURATION', () => {
    expect(parseRateSpec('10/60s')).toEqual({ points: 10, durationMs: 60_000 });
    expect(parseRateSpec(' 5 / 1m')).toEqual({ points: 5, durationMs: 60_000 });
    expect(() => parseRateSpec('0/60s')).toThrow('expected POINTS/DURATION such as 10/60s, got "0/60s"');
    expect(() => parseRateSpec('ten/60s')).toThrow(RangeError);
    expect(() => parseRateSpec('10/soon')).toThrow('got "soon"');
  });
});
