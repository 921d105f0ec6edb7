import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { clientAddressKey } from './client-address';
import { parseDuration } from './duration';
import { RATE_LIMIT_RESOLVED_OPTIONS } from './rate-limit.constants';
import { RATE_LIMIT_RULE, SKIP_RATE_LIMIT, type RateLimitKey, type RateLimitRule } from './rate-limit.decorator';
import { setRateLimitHeaders } from './rate-limit-headers';
import type { ResolvedRateLimitOptions } from './options/rate-limit-options.interface';
import { RateLimiterService, type RateLimitResult, type RateLimitSpec } from './rate-limiter.service';

/** What the guard does for one route, worked out once: the limit and whose requests share it. */
interface RoutePlan {
  limit: RateLimitSpec;
  key: RateLimitKey;
}

/**
 * Applies `@RateLimit()` (or the module's `defaultRule`) to HTTP routes: sets the RateLimit headers
 * on every answer, and refuses with 429, `Retry-After` and a JSON body with the RFC 9457 problem
 * fields. When Redis cannot answer under the `closed` policy it throws `RateLimiterUnavailableError`,
 * which `RateLimiterUnavailableFilter` (or your own filter) answers with a 503. Client IPs come from Express' `req.ip`, so set
 * Express' `trust proxy` to honour `X-Forwarded-For` from your proxies only.
 *
 * Extend it as `@nestjs/throttler`'s guard: override {@link getTracker} (who the client is),
 * {@link getKey} (whose requests share a bucket) or {@link throwRateLimited} (the refusal).
 *
 * @example
 * providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }]
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  /**
   * Per controller class and handler (an inherited handler can serve two controllers with different
   * class-level rules): its plan, or null when it is not limited. Route metadata never changes.
   */
  private readonly plans = new WeakMap<object, WeakMap<object, RoutePlan | null>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiterService,
    @Inject(RATE_LIMIT_RESOLVED_OPTIONS) private readonly options: ResolvedRateLimitOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const controller = context.getClass();
    let plans = this.plans.get(controller);
    if (!plans) {
      plans = new WeakMap();
      this.plans.set(controller, plans);
    }
    let plan = plans.get(context.getHandler());
    if (plan === undefined) {
      plan = this.planFor(context);
      plans.set(context.getHandler(), plan);
    }
    if (!plan) return true;
    const { limit } = plan;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const result = await this.limiter.consume(limit, this.getKey(plan.key, request));
    setRateLimitHeaders(response, limit, result, this.options.legacyHeaders);
    if (result.allowed) return true;
    return this.throwRateLimited(context, limit, result);
  }

  /**
   * Who the client is, for `ip` keys: its address as Express' `req.ip` gives it (honouring `trust
   * proxy`), an IPv6 client as its network ({@link clientAddressKey}). Override it to key clients
   * otherwise (a header set by your gateway, say).
   */
  protected getTracker(request: Request): string {
    return clientAddressKey(request.ip ?? request.socket.remoteAddress ?? 'unknown', this.options.ipv6PrefixBits);
  }

  /**
   * The bucket of a request under a rule's `key`: `ip:<tracker>`, `user:<id>` (the tracker when
   * anonymous) or `custom:<your function's answer>`.
   */
  protected getKey(key: RateLimitKey, request: Request): string {
    if (typeof key === 'function') return `custom:${key(request)}`;
    const userId = (request as Request & { user?: { id?: unknown } }).user?.id;
    if (key === 'user' && (typeof userId === 'string' || typeof userId === 'number')) return `user:${userId}`;
    return `ip:${this.getTracker(request)}`;
  }

  /**
   * Refuses a request over its limit (the RateLimit headers and `Retry-After` are already set):
   * a 429 with the RFC 9457 problem fields. Override it to answer otherwise.
   */
  protected throwRateLimited(_context: ExecutionContext, limit: RateLimitSpec, result: RateLimitResult): never {
    throw new HttpException(
      {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail: `rate limit "${limit.name}" exceeded; retry in ${Math.max(1, Math.ceil(result.retryAfterMs / 1000))} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** The route's limit from `@RateLimit()`/`@SkipRateLimit()` on the handler or its controller, or the default. */
  private planFor(context: ExecutionContext): RoutePlan | null {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, targets)) return null;
    const rule = this.ruleOf(
      this.reflector.getAllAndOverride<RateLimitRule | string | undefined>(RATE_LIMIT_RULE, targets),
    );
    if (!rule) return null;
    return {
      limit: {
        name: rule.name ?? `${context.getClass().name}.${context.getHandler().name}`,
        points: rule.points,
        durationMs: parseDuration(rule.duration),
        burst: rule.burst,
        algorithm: rule.algorithm,
      },
      key: rule.key ?? 'ip',
    };
  }

  /** The decorator's rule (by name from the module's `rules`), or the module default. */
  private ruleOf(declared: RateLimitRule | string | undefined): RateLimitRule | undefined {
    if (typeof declared !== 'string') return declared ?? this.options.defaultRule;
    const named = this.options.rules[declared];
    // RateLimitRulesValidator refuses unknown names at startup, so this only guards against misuse.
    if (!named) throw new Error(`@RateLimit('${declared}'): no rule of that name in RateLimitModule options`);
    return { name: declared, ...named };
  }
}
