import { z } from 'zod';

/** Body of `POST /sessions`, the demo login: the sample trusts `userId` (see docs/security.md). */
export const createSessionSchema = z.strictObject({
  userId: z.string('userId is required and must be a string').trim().min(1, 'userId must not be empty').max(256),
  data: z.record(z.string(), z.unknown(), 'data must be a JSON object').optional(),
});

/** Body of `PATCH /sessions/current`: keys to set; `null` removes a key. */
export const patchSessionSchema = z.record(z.string(), z.unknown(), 'the body must be a JSON object');

/**
 * Data keys that carry privileges: a change to any of them moves the session to a new id (and a
 * new cookie), so that an id known before the change never carries the new privileges.
 */
export const PRIVILEGED_SESSION_KEYS: readonly string[] = ['roles', 'permissions', 'scopes'];
