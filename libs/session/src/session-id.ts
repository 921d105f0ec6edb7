import { SLOT_TAG_LENGTH } from '@sentinel-kit/redis/internal';
import { randomBytes } from 'node:crypto';
import { InvalidSessionInputError } from './errors/invalid-session-input.error';
import { SESSION_DEFAULTS } from './session.constants';

/** The user's slot tag, then 32 URL-safe base64 characters: what {@link newSessionId} makes. */
const SESSION_ID = new RegExp(`^[A-Za-z0-9_-]{${SLOT_TAG_LENGTH + 32}}$`);

/**
 * A new session id: the owner's slot tag (`RedisKeyspace.slotTag`, so that the session lives in
 * the same cluster slot as its user's index), then 192 bits from the operating system's CSPRNG,
 * base64url.
 */
export function newSessionId(slotTag: string): string {
  return slotTag + randomBytes(SESSION_DEFAULTS.idBytes).toString('base64url');
}

/** The slot tag an id carries (see {@link newSessionId}). */
export function slotTagOf(id: string): string {
  return id.slice(0, SLOT_TAG_LENGTH);
}

/** Whether `value` has the shape of an id we issue (checked before any Redis call). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

/** @throws InvalidSessionInputError when `value` is not an id we could have issued. */
export function assertSessionId(value: unknown): asserts value is string {
  if (!isSessionId(value)) throw new InvalidSessionInputError('malformed session id');
}
