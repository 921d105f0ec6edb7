import { z } from 'zod';

/** Body of `POST /sessions`. */
export const createSessionSchema = z.strictObject({
  userId: z.string('userId is required and must be a string').trim().min(1, 'userId must not be empty').max(256),
  data: z.record(z.string(), z.unknown(), 'data must be a JSON object').optional(),
});

/** Body of `PATCH /sessions/:id`: keys to set; `null` removes a key. */
export const patchSessionSchema = z.record(z.string(), z.unknown(), 'the body must be a JSON object');
