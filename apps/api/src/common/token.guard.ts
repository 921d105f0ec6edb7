import {
  ForbiddenException,
  Inject,
  Injectable,
  mixin,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BearerToken } from '@sentinel-kit/redis';
import type { Request } from 'express';
import { apiEnvConfig, type ApiConfig } from '../config/api-env.config';

/** The settings that hold a bearer token, and the variable each comes from. */
const TOKEN_SETTINGS = {
  ADMIN_TOKEN: 'adminToken',
  HEALTH_DETAILS_TOKEN: 'healthDetailsToken',
  EVENTS_PUBLISH_TOKEN: 'eventsPublishToken',
} as const satisfies Record<string, keyof ApiConfig>;

/**
 * A guard that requires `Authorization: Bearer <token>` from `variable` (see {@link BearerToken}),
 * before any pipe reads the request. While the variable is unset: `forbid` answers 403 (the routes
 * are off), `open` lets every request through.
 *
 * @example
 * @UseGuards(TokenGuard('ADMIN_TOKEN', 'forbid'))
 */
export function TokenGuard(variable: keyof typeof TOKEN_SETTINGS, whenUnset: 'forbid' | 'open'): Type<CanActivate> {
  @Injectable()
  class RequiresToken implements CanActivate {
    private readonly token?: BearerToken;

    constructor(@Inject(apiEnvConfig.KEY) api: ConfigType<typeof apiEnvConfig>) {
      const secret = api[TOKEN_SETTINGS[variable]];
      if (secret !== undefined) this.token = new BearerToken(secret, variable);
    }

    canActivate(context: ExecutionContext): boolean {
      if (!this.token) {
        if (whenUnset === 'open') return true;
        throw new ForbiddenException(`these endpoints are off: ${variable} is not set`);
      }
      this.token.assert(context.switchToHttp().getRequest<Request>());
      return true;
    }
  }
  return mixin(RequiresToken);
}
