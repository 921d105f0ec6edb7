import { parseSentinelEntry } from '@sentinel-kit/redis';
import { z } from 'zod';

/**
 * Body of `POST /admin/redis/switchover`, optional: refuse unless `expectedPrimary` (`host:port`) is
 * the primary; in Cluster mode, `shard` names the shard (its slot ranges, as `/health` shows them).
 */
export const switchoverSchema = z
  .strictObject({
    shard: z
      .string('shard must be slot ranges such as 0-5460')
      .regex(/^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?){0,63}$/, 'shard must be slot ranges such as 0-5460')
      .optional(),
    expectedPrimary: z
      .string('expectedPrimary must be a string such as 10.0.0.5:6379')
      .max(300, 'expectedPrimary must be host:port, such as 10.0.0.5:6379')
      .transform((text, ctx) => {
        const parsed = parseSentinelEntry(text);
        if (parsed.ok) return parsed.address;
        ctx.addIssue({ code: 'custom', message: 'expectedPrimary must be host:port, such as 10.0.0.5:6379' });
        return z.NEVER;
      })
      .optional(),
  })
  .optional()
  .transform((body) => body ?? {});
