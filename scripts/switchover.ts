/**
 * `npm run switchover`: a planned primary change of the Sentinel group named by the `REDIS_*`
 * variables (the same as the app's), or with `-- --shard 0-5460` of that shard of the cluster they
 * name, without losing acknowledged writes. It runs through
 * `RedisSwitchoverService`, so it takes the same lock as every app instance and respects a running
 * cooldown. Prints the result as JSON; exits 1 with the reason when refused (another switchover
 * runs, no quorum, no replica in sync, not Sentinel mode…).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { RedisConfigError, RedisModule, RedisSwitchoverService, resolveRedisEnv } from '@sentinel-kit/redis';

async function main(): Promise<void> {
  const options = resolveRedisEnv(process.env);
  const app = await NestFactory.createApplicationContext(RedisModule.forRoot(options), { logger: ['error'] });
  try {
    const shardFlag = process.argv.indexOf('--shard');
    const shard = shardFlag === -1 ? undefined : process.argv[shardFlag + 1];
    const result = await app.get(RedisSwitchoverService).switchover({ shard });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchover ${error instanceof RedisConfigError ? 'not started' : 'refused'}: ${message}\n`);
  process.exit(1);
});
