import { RedisConfigError } from '@sentinel-kit/redis';

/**
 * The issue lines of the {@link RedisConfigError} that `resolve` throws, to assert on what a user
 * would read. Fails when it throws nothing, and rethrows any other error.
 */
export function configIssues(resolve: () => unknown): readonly string[] {
  try {
    resolve();
  } catch (error) {
    if (error instanceof RedisConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a RedisConfigError');
}
