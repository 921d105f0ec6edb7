import { decodeRecord, encodeRecord, type SessionRecord } from './session-record';

const record: SessionRecord = {
  id: 'AbC-_123',
  userId: 'user "quoted" \\ ünïcödé \u2028 <tag>',
  data: { role: 'reader', nested: { list: [1, 'two', null, true] }, text: 'line\nbreak "q"' },
  createdAt: 1_764_000_000_000,
  expiresAt: 1_764_001_800_000,
  absoluteExpiresAt: 1_764_086_400_000,
  ttlMs: 1_800_000,
};

describe('encodeRecord', () => {
  it("writes exactly the record's JSON, with the data's JSON embedded as given", () => {
    expect(encodeRecord(record)).toBe(JSON.stringify(record));
    expect(encodeRecord(record, JSON.stringify(record.data))).toBe(JSON.stringify(record));
    expect(encodeRecord({ ...record, data: {} }, '{"already":"encoded"}')).toBe(
      JSON.stringify({ ...record, data: { already: 'encoded' } }),
    );
  });

  it('reads back what it wrote', () => {
    expect(decodeRecord(encodeRecord(record))).toEqual({ record, json: encodeRecord(record) });
  });
});
