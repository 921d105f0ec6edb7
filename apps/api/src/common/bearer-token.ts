import { createHash, timingSafeEqual } from 'node:crypto';
import { Logger, UnauthorizedException } from '@nestjs/common';
import { logEvent } from '@sentinel-kit/redis';
import type { Request } from 'express';

const logger = new Logger('Auth');

/**
 * A bearer token that guards routes. The check compares SHA-256 digests in constant time, so the
 * answer time reveals neither how much of the token matched nor its length. Refusals are logged
 * (route and client, never what was presented); the routes it guards are rate limited per client.
 */
export class BearerToken {
  private readonly expected: Buffer;

  /** @param variable the environment variable the token comes from, named in logs. */
  constructor(
    token: string,
    private readonly variable: string,
  ) {
    this.expected = digest(`Bearer ${token}`);
  }

  /**
   * Passes when the request carries the token.
   * @throws UnauthorizedException (401 with a JSON body) otherwise, after logging the refusal.
   */
  assert(request: Request): void {
    if (timingSafeEqual(digest(request.headers.authorization ?? ''), this.expected)) return;
    logger.warn(
      logEvent(
        'api.token-refused',
        {
          token: this.variable,
          route: `${request.method} ${request.path}`,
          client: request.ip,
          presented: request.headers.authorization !== undefined,
        },
        'a request without the right bearer token was refused',
      ),
    );
    throw new UnauthorizedException('a valid bearer token is required');
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
