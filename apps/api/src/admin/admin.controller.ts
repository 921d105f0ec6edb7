import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { RedisSwitchoverService, type SwitchoverResult } from '@sentinel-kit/redis';
import { SessionService } from '@sentinel-kit/session';
import type { Response } from 'express';
import type { z } from 'zod';
import { TokenGuard } from '../common/token.guard';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { apiEnvConfig } from '../config/api-env.config';
import { PENDING_SIGN_OUT, toSummary, type PendingSignOut, type SessionSummary } from '../sessions/session.views';
import { switchoverSchema } from './admin.schemas';

/**
 * Operator actions, each behind `Authorization: Bearer <ADMIN_TOKEN>` (403 while it is unset),
 * limited per client by `AUTH_RATE_LIMIT` whether the token is right or not; refusals are logged.
 */
@Controller('admin')
@RateLimit('auth')
@UseGuards(TokenGuard('ADMIN_TOKEN', 'forbid'))
export class AdminController {
  constructor(
    private readonly switchover: RedisSwitchoverService,
    private readonly sessions: SessionService,
    @Inject(apiEnvConfig.KEY) private readonly api: ConfigType<typeof apiEnvConfig>,
  ) {}

  /**
   * Planned switchover without losing acknowledged writes: 200 with `{ from, to, writeOutageMs,
   * oldPrimaryDemoted }`; 409 with `reason` when refused (another switchover running, the
   * `SWITCHOVER_COOLDOWN_MS` cooldown, not the `expectedPrimary`, no quorum, no replica in sync,
   * standalone mode, no `shard` named in Cluster mode), with `Retry-After` when waiting helps.
   */
  @Post('redis/switchover')
  @HttpCode(HttpStatus.OK)
  run(@Body(new ZodBodyPipe(switchoverSchema)) body: z.output<typeof switchoverSchema>): Promise<SwitchoverResult> {
    return this.switchover.switchover({
      expectedPrimary: body.expectedPrimary,
      shard: body.shard,
      cooldownMs: this.api.switchoverCooldownMs,
    });
  }

  /** A user's live sessions, oldest first: handles and times. */
  @Get('users/:userId/sessions')
  async userSessions(@Param('userId') userId: string): Promise<SessionSummary[]> {
    return (await this.sessions.listForUser(userId)).map((session) => toSummary(session));
  }

  /** Signs a user out everywhere: 200 `{ destroyed }`, or 202 when pending. */
  @Delete('users/:userId/sessions')
  async signOutUser(
    @Param('userId') userId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ destroyed: number } | PendingSignOut> {
    const result = await this.sessions.destroyAllForUser(userId);
    if (result.state === 'done') return { destroyed: result.destroyed };
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }
}
