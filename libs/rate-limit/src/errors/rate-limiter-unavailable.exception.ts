import { ServiceUnavailableException } from '@nestjs/common';
import type { RateLimiterUnavailableError } from './rate-limiter-unavailable.error';

/** The HTTP answer for a refusal under the `closed` policy: 503 with a JSON body, never a 500. */
export function rateLimiterUnavailableException(error: RateLimiterUnavailableError): ServiceUnavailableException {
  return new ServiceUnavailableException(
    { statusCode: 503, error: error.code, message: 'rate limiter unavailable' },
    { cause: error },
  );
}
