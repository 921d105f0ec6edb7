import { gcra } from './gcra';
import type { RateLimitAlgorithm, RateLimitAlgorithmName } from './rate-limit-algorithm';
import { slidingWindow } from './sliding-window';
import { tokenBucket } from './token-bucket';

/** Every algorithm by name. */
export const RATE_LIMIT_ALGORITHMS: Readonly<Record<RateLimitAlgorithmName, RateLimitAlgorithm<unknown>>> = {
  'token-bucket': tokenBucket,
  gcra: gcra,
  'sliding-window': slidingWindow,
};
