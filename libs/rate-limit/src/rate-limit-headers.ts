import type { Response } from 'express';
import type { RateLimitSpec, RateLimitResult } from './rate-limiter.service';

/**
 * Sets the headers of the IETF httpapi RateLimit draft, `RateLimit-Policy: "name";q=<points>;w=<window s>`
 * and `RateLimit: "name";r=<remaining>;t=<s until full>`, and, when `legacy`, `X-RateLimit-Limit/-Remaining/-Reset`. On a
 * refusal also `Retry-After` (seconds).
 */
export function setRateLimitHeaders(
  response: Response,
  limit: RateLimitSpec,
  result: RateLimitResult,
  legacy: boolean,
): void {
  const resetSeconds = Math.ceil(result.resetMs / 1000);
  response.setHeader('RateLimit-Policy', `"${limit.name}";q=${limit.points};w=${Math.ceil(limit.durationMs / 1000)}`);
  response.setHeader('RateLimit', `"${limit.name}";r=${result.remaining};t=${resetSeconds}`);
  if (legacy) {
    response.setHeader('X-RateLimit-Limit', String(limit.points));
    response.setHeader('X-RateLimit-Remaining', String(result.remaining));
    response.setHeader('X-RateLimit-Reset', String(resetSeconds));
  }
  if (!result.allowed) response.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
}
