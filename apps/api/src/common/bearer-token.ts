import { timingSafeEqual } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';

/**
 * Passes when `authorization` is `Bearer <token>`, compared in constant time (the answer time does
 * not reveal how much of the token matched).
 * @throws UnauthorizedException (401 with a JSON body) otherwise.
 */
export function assertBearerToken(authorization: string | undefined, token: string): void {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedException('a valid bearer token is required');
  }
}
