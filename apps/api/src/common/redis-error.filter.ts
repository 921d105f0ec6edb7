import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { RedisModuleError } from '@sentinel-kit/redis';
import type { Response } from 'express';

/** HTTP status of each library error code; anything else is a 503 (Redis cannot serve now). */
const STATUS_BY_CODE: Readonly<Record<string, HttpStatus>> = {
  SESSION_INPUT_INVALID: HttpStatus.BAD_REQUEST,
  SESSION_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  SESSION_NOT_FOUND: HttpStatus.NOT_FOUND,
  SESSION_CONFLICT: HttpStatus.CONFLICT,
  REDIS_SWITCHOVER_REFUSED: HttpStatus.CONFLICT,
  REDIS_CONFIG_INVALID: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** `Retry-After` of a 503: about how long a Sentinel failover takes to settle. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Maps the libraries' typed errors to JSON HTTP answers: input problems are 4xx, Redis being
 * unable to serve (unavailable, outcome unknown, not replicated, refused) is 503 with
 * `Retry-After`, never a 500. The libraries' messages carry no secrets.
 */
@Catch(RedisModuleError)
export class RedisErrorFilter implements ExceptionFilter<RedisModuleError> {
  private readonly logger = new Logger('RedisErrorFilter');

  catch(error: RedisModuleError, host: ArgumentsHost): void {
    const status = STATUS_BY_CODE[error.code] ?? HttpStatus.SERVICE_UNAVAILABLE;
    if (status >= HttpStatus.INTERNAL_SERVER_ERROR) this.logger.warn(`${error.code}: ${error.message}`);
    const response = host.switchToHttp().getResponse<Response>();
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json({ statusCode: status, error: error.code, message: error.message });
  }
}
