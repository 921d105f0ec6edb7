import { z } from 'zod';

/** Largest `data` of one event, as JSON text. */
export const MAX_EVENT_DATA_BYTES = 16_384;

/** Body of `POST /events`. */
export const publishEventSchema = z.strictObject({
  type: z
    .string('type is required and must be a string')
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'type must be 1–64 letters, digits, ".", "_" or "-"'),
  data: z
    .unknown()
    .refine(
      (data) => Buffer.byteLength(JSON.stringify(data)) <= MAX_EVENT_DATA_BYTES,
      `data must be at most ${MAX_EVENT_DATA_BYTES} bytes as JSON`,
    )
    .optional()
    .transform((data) => data ?? null),
});

/** What travels between instances for one posted event. */
export type PublishedEvent = z.output<typeof publishEventSchema>;
