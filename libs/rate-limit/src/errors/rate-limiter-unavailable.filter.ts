import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimiterUnavailableError } from './rate-limiter-unavailable.error';

/** `Retry-After` of the 503: about how long a Sentinel failover takes to settle. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Answers a {@link RateLimiterUnavailableError} (Redis cannot answer and the policy is `closed`)
 * with a 503, `Retry-After` and a JSON body, never a 500. The guard and the throttler storage throw
 * the typed error; register this filter, or map the error in your own.
 *
 * @example
 * providers: [{ provide: APP_FILTER, useClass: RateLimiterUnavailableFilter }]
 */
@Catch(RateLimiterUnavailableError)
export class RateLimiterUnavailableFilter implements ExceptionFilter<RateLimiterUnavailableError> {
  catch(error: RateLimiterUnavailableError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .json({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: error.code, message: 'rate limiter unavailable' });
  }
}
