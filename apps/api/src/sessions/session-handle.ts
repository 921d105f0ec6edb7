import { createHash } from 'node:crypto';

/**
 * The opaque handle that names a session in listings: a SHA-256 digest of its id, cut to 132 bits.
 * It cannot be turned back into the id (the credential), and every instance computes the same one.
 */
export function sessionHandle(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 22);
}

/** Whether `text` has the shape of a handle (22 URL-safe base64 characters). */
export function isSessionHandle(text: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(text);
}
