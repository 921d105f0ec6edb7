import { decodeEnvelope, encodeEnvelope } from './pubsub-envelope';

describe('pub/sub envelope', () => {
  it('round-trips any JSON value', () => {
    for (const d of [null, 0, 'text', [1, 'two'], { nested: { ok: true } }]) {
      expect(decodeEnvelope(encodeEnvelope({ o: 'x', s: 3, t: 1000, d }))).toEqual({ o: 'x', s: 3, t: 1000, d });
    }
  });

  it('refuses undefined and what JSON cannot carry', () => {
    expect(() => encodeEnvelope({ o: 'x', s: 1, t: 1, d: undefined })).toThrow(/data is undefined/);
    expect(() => encodeEnvelope({ o: 'x', s: 1, t: 1, d: 10n })).toThrow(TypeError);
  });

  it('treats anything else as a foreign message', () => {
    for (const text of ['hello', '{"a":1}', '{"o":"x","s":"1","t":1,"d":1}', '{"o":"x","s":1,"t":1}', '{"o":']) {
      expect(decodeEnvelope(text)).toBeUndefined();
    }
  });
});
