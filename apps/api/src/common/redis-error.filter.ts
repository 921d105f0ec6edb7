import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { RedisModuleError, SwitchoverRefusedError } from '@sentinel-kit/redis';
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

/**
 * Codes whose messages the libraries write from the caller's input alone: shown as they are. Every
 * other message may quote Redis or a sentinel, and is logged, never sent.
 */
const INPUT_CODES = new Set(['SESSION_INPUT_INVALID', 'SESSION_TOO_LARGE']);

/** What a client is told for each code whose own message is not shown. */
const STABLE_MESSAGES: Readonly<Record<string, string>> = {
  SESSION_NOT_FOUND: 'session not found',
  SESSION_CONFLICT: 'the session kept changing; try again',
  SESSION_NOT_REPLICATED: 'the change could not be confirmed by a replica in time; try again',
  REDIS_UNAVAILABLE: 'Redis is unavailable; nothing was changed; try again',
  REDIS_OUTCOME_UNKNOWN: 'Redis did not answer in time; the change may or may not have been applied',
  REDIS_SCAN_INTERRUPTED: 'Redis kept changing primaries during the request; try again',
  RATE_LIMITER_UNAVAILABLE: 'rate limiter unavailable',
  REDIS_IDEMPOTENCY_NOT_REPLICATED: 'the request could not be recorded safely, so it was not run; try again',
};
const FALLBACK_MESSAGE = 'Redis cannot serve this request now; try again';

/** What a refused switchover tells the client, by reason. */
const SWITCHOVER_MESSAGES: Readonly<Record<SwitchoverRefusedError['reason'], string>> = {
  'not-sentinel': 'a switchover needs Sentinel or Cluster mode',
  'not-cluster': 'a shard is named only in Cluster mode',
  'shard-required': 'name the shard to switch over (its slot ranges, e.g. 0-5460)',
  'unknown-shard': 'no shard with a primary serves those slots',
  'in-progress': 'another switchover is running',
  cooldown: 'a switchover completed recently; wait for the cooldown',
  'unexpected-primary': 'the primary is not the expected one',
  'no-primary': 'no sentinel majority names a primary',
  'no-quorum': 'the sentinels cannot reach quorum',
  'no-replica-in-sync': 'no replica is online and in sync',
  'replica-behind': 'no replica caught up with the paused primary in time',
  'failover-refused': 'the failover was refused (one may already be running)',
  'not-switched': 'no new primary was named in time',
};

/** `Retry-After` of a 503: about how long a Sentinel failover takes to settle. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Maps the libraries' typed errors to JSON HTTP answers with stable codes and messages: input
 * problems are 4xx, a refused switchover 409 (with its `reason`, and `Retry-After` when waiting
 * helps), Redis being unable to serve (unavailable, outcome unknown, not replicated) 503 with
 * `Retry-After`, never a 500. Messages that may quote Redis are logged, not sent.
 */
@Catch(RedisModuleError)
export class RedisErrorFilter implements ExceptionFilter<RedisModuleError> {
  private readonly logger = new Logger('RedisErrorFilter');

  catch(error: RedisModuleError, host: ArgumentsHost): void {
    const status = STATUS_BY_CODE[error.code] ?? HttpStatus.SERVICE_UNAVAILABLE;
    if (status >= HttpStatus.INTERNAL_SERVER_ERROR || error instanceof SwitchoverRefusedError) {
      this.logger.warn(`${error.code}: ${error.message}`);
    }
    const response = host.switchToHttp().getResponse<Response>();
    const body: Record<string, unknown> = { statusCode: status, error: error.code, message: messageOf(error) };
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (error instanceof SwitchoverRefusedError) {
      body.reason = error.reason;
      if (error.retryAfterMs !== undefined) {
        response.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      }
    }
    response.status(status).json(body);
  }
}

function messageOf(error: RedisModuleError): string {
  if (INPUT_CODES.has(error.code)) return error.message;
  if (error instanceof SwitchoverRefusedError) return SWITCHOVER_MESSAGES[error.reason];
  return STABLE_MESSAGES[error.code] ?? FALLBACK_MESSAGE;
}
