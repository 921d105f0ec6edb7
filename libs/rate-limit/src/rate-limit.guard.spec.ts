import { HttpException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request, Response } from 'express';
import { resolveRateLimitOptions } from './options/resolve-rate-limit-options';
import { RateLimit } from './rate-limit.decorator';
import { RateLimitGuard } from './rate-limit.guard';
import type { RateLimitResult, RateLimitSpec, RateLimiterService } from './rate-limiter.service';

class LimitedController {
  @RateLimit({ points: 5, duration: '1m', name: 'login' })
  login(): void {}

  @RateLimit({ points: 5, duration: '1m', name: 'profile', key: 'user' })
  profile(): void {}
}

/** A limiter that answers `result` and remembers the buckets it was asked about. */
function fakeLimiter(result: Partial<RateLimitResult> = {}) {
  const buckets: string[] = [];
  const limiter = {
    consume: (_limit: RateLimitSpec, key: string): Promise<RateLimitResult> => {
      buckets.push(key);
      return Promise.resolve({
        allowed: true,
        limit: 5,
        remaining: 4,
        resetMs: 12_000,
        retryAfterMs: 0,
        source: 'redis',
        ...result,
      });
    },
  };
  return { limiter: limiter as unknown as RateLimiterService, buckets };
}

/** An HTTP execution context of `handler`, for a request from `ip` (and `user`, when given). */
function contextOf(handler: keyof LimitedController, ip: string, user?: { id: string }) {
  const headers = new Map<string, string>();
  const request = { ip, user, socket: {} } as unknown as Request;
  const response = { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response;
  const context = new ExecutionContextHost(
    [request, response],
    LimitedController,
    LimitedController.prototype[handler],
  );
  context.setType('http');
  return { context: context as ExecutionContext, headers };
}

const options = resolveRateLimitOptions({});

describe('RateLimitGuard', () => {
  it('keys a client by address, an IPv6 client by its /64, a signed-in user by id, and sets the headers', async () => {
    const { limiter, buckets } = fakeLimiter();
    const guard = new RateLimitGuard(new Reflector(), limiter, options);
    const first = contextOf('login', '192.0.2.7');
    await expect(guard.canActivate(first.context)).resolves.toBe(true);
    await guard.canActivate(contextOf('login', '2001:db8:1:2::99').context);
    await guard.canActivate(contextOf('profile', '192.0.2.7', { id: 'alice' }).context);
    await guard.canActivate(contextOf('profile', '192.0.2.8').context);
    expect(buckets).toEqual(['ip:192.0.2.7', 'ip:2001:db8:1:2::/64', 'user:alice', 'ip:192.0.2.8']);
    expect(first.headers.get('RateLimit-Policy')).toBe('"login";q=5;w=60');
    expect(first.headers.get('RateLimit')).toBe('"login";r=4;t=12');
  });

  it('refuses over the limit with a 429 problem and Retry-After', async () => {
    const { limiter } = fakeLimiter({ allowed: false, remaining: 0, retryAfterMs: 2500 });
    const guard = new RateLimitGuard(new Reflector(), limiter, options);
    const { context, headers } = contextOf('login', '192.0.2.7');
    const refusal = await guard.canActivate(context).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(429);
    expect((refusal as HttpException).getResponse()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(headers.get('Retry-After')).toBe('3');
  });

  it('lets a subclass choose the tracker and the refusal, as @nestjs/throttler does', async () => {
    class GatewayGuard extends RateLimitGuard {
      protected override getTracker(request: Request): string {
        return `tenant-${(request as Request & { tenant: string }).tenant}`;
      }

      protected override throwRateLimited(_context: ExecutionContext, limit: RateLimitSpec): never {
        throw new Error(`slow down on ${limit.name}`);
      }
    }
    const { limiter, buckets } = fakeLimiter({ allowed: false, retryAfterMs: 1000 });
    const guard = new GatewayGuard(new Reflector(), limiter, options);
    const { context } = contextOf('login', '192.0.2.7');
    context.switchToHttp().getRequest<Request & { tenant: string }>().tenant = 'acme';
    await expect(guard.canActivate(context)).rejects.toThrow('slow down on login');
    expect(buckets).toEqual(['ip:tenant-acme']);
  });
});
