/** What is stored for a session (as JSON). Times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  userId: string;
  data: Record<string, unknown>;
  createdAt: number;
  /** When the session expires unless renewed (never after `absoluteExpiresAt`). */
  expiresAt: number;
  /** When it expires whatever happens. */
  absoluteExpiresAt: number;
  /** Sliding lifetime of this session. */
  ttlMs: number;
}

/** The record with its exact stored text, for compare-and-set. */
export interface StoredSession {
  record: SessionRecord;
  json: string;
}

/**
 * The stored text of `record`: what `JSON.stringify(record)` gives, with `dataJson` (the data's
 * JSON, when the caller already encoded it to check its size) embedded instead of encoding the
 * data again.
 */
export function encodeRecord(record: SessionRecord, dataJson: string = JSON.stringify(record.data)): string {
  const { id, userId, createdAt, expiresAt, absoluteExpiresAt, ttlMs } = record;
  return (
    `{"id":${JSON.stringify(id)},"userId":${JSON.stringify(userId)},"data":${dataJson},` +
    `"createdAt":${createdAt},"expiresAt":${expiresAt},"absoluteExpiresAt":${absoluteExpiresAt},"ttlMs":${ttlMs}}`
  );
}

/** @returns the record, or null when the text is not one (a foreign key under our prefix). */
export function decodeRecord(json: string | null): StoredSession | null {
  if (json === null) return null;
  try {
    const record = JSON.parse(json) as SessionRecord;
    return typeof record?.id === 'string' && typeof record.userId === 'string' ? { record, json } : null;
  } catch {
    return null;
  }
}
