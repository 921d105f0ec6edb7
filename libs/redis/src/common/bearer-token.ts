import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger, UnauthorizedException } from '@nestjs/common';
import { logEvent } from './log-event';

const logger = new Logger('Auth');

/**
 * A bearer token that guards routes. The check compares SHA-256 digests in constant time, so the
 * answer time reveals neither how much of the token matched nor its length. Refusals are logged as
 * `event=api.token-refused` (route and client, never what was presented).
 *
 * @example
 * const token = new BearerToken(process.env.ADMIN_TOKEN, 'ADMIN_TOKEN');
 * token.assert(request); // 401 unless `Authorization: Bearer <ADMIN_TOKEN>`
 */
export class BearerToken {
  private readonly expected: Buffer;

  /** @param variable where the token comes from (an environment variable), named in logs. */
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
  assert(request: IncomingMessage & { ip?: string }): void {
    if (timingSafeEqual(digest(request.headers.authorization ?? ''), this.expected)) return;
    logger.warn(
      logEvent(
        'api.token-refused',
        {
          token: this.variable,
          route: `${request.method} ${(request.url ?? '').split('?')[0]}`,
          client: request.ip ?? request.socket.remoteAddress,
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
