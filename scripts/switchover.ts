/**
 * `npm run switchover`: a planned primary change of the Sentinel group named by the `REDIS_*`
 * variables (the same as the app's), without losing acknowledged writes. Prints the result as
 * JSON; exits 1 with the reason when refused (no quorum, no replica in sync, not Sentinel mode).
 */
import { RedisConfigError, plannedSwitchover, resolveRedisEnv } from '@sentinel-kit/redis';

async function main(): Promise<void> {
  const options = resolveRedisEnv(process.env);
  if (options.mode !== 'sentinel') throw new Error('a switchover needs Sentinel mode (REDIS_SENTINEL_ENABLED=true)');
  const result = await plannedSwitchover(options);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchover ${error instanceof RedisConfigError ? 'not started' : 'refused'}: ${message}\n`);
  process.exit(1);
});
