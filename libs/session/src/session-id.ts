import { randomBytes } from 'node:crypto';
import { InvalidSessionInputError } from './errors/invalid-session-input.error';
import { SESSION_DEFAULTS } from './session.constants';

/** 32 URL-safe base64 characters: what {@link newSessionId} makes. */
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;

/** A new session id: 192 bits from the operating system's CSPRNG, base64url. */
export function newSessionId(): string {
  return randomBytes(SESSION_DEFAULTS.idBytes).toString('base64url');
}

/** Whether `value` has the shape of an id we issue (checked before any Redis call). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

/** @throws InvalidSessionInputError when `value` is not an id we could have issued. */
export function assertSessionId(value: unknown): asserts value is string {
  if (!isSessionId(value)) throw new InvalidSessionInputError('malformed session id');
}
