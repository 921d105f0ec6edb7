import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { RateLimitAlgorithmName } from './policies/rate-limit-algorithm';

/** Metadata key of {@link RateLimit}. */
export const RATE_LIMIT_RULE = Symbol('RATE_LIMIT_RULE');
/** Metadata key of {@link SkipRateLimit}. */
export const SKIP_RATE_LIMIT = Symbol('SKIP_RATE_LIMIT');

/** Whose requests share a bucket: the client IP (`req.ip`), the user (`req.user.id`), or your own key. */
export type RateLimitKey = 'ip' | 'user' | ((request: Request) => string);

/** A limit on a route, a controller or (as the module default) every route. */
export interface RateLimitRule {
  /** Requests allowed per `duration`. */
  points: number;
  /** Milliseconds, or text such as `60s`. */
  duration: number | string;
  /** Largest burst (`token-bucket` and `gcra` only). @default points */
  burst?: number;
  /** @default 'token-bucket' */
  algorithm?: RateLimitAlgorithmName;
  /** @default 'ip' */
  key?: RateLimitKey;
  /** Names the limit in keys and headers. @default the controller and handler name */
  name?: string;
}

/**
 * Limits a route or every route of a controller (the route's own rule wins); needs
 * `RateLimitGuard`. Takes a rule, or the name of a rule in the module's `rules` (for limits read
 * from configuration). Rules are checked when the application starts.
 *
 * @example
 * @RateLimit({ points: 5, duration: '1m', key: 'ip', name: 'login' })
 * @Post('login') login() {}
 *
 * @RateLimit('demo') // RateLimitModule.forRoot({ rules: { demo: { points: 10, duration: '60s' } } })
 * @Get('limited') limited() {}
 */
export const RateLimit = (rule: RateLimitRule | string): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_RULE, rule);

/** Exempts a route or controller from rate limiting, including the module default. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_RATE_LIMIT, true);
