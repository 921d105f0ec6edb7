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

export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify(record);
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
