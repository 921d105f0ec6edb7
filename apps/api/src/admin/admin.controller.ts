import { Controller, ForbiddenException, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RedisSwitchoverService, type SwitchoverResult } from '@sentinel-kit/redis';
import { assertBearerToken } from '../common/bearer-token';
import { apiEnvConfig } from '../config/api-env.config';

/** Operator actions, each behind `Authorization: Bearer <ADMIN_TOKEN>`; off while `ADMIN_TOKEN` is unset. */
@Controller('admin')
export class AdminController {
  constructor(
    private readonly switchover: RedisSwitchoverService,
    @Inject(apiEnvConfig.KEY) private readonly api: ConfigType<typeof apiEnvConfig>,
  ) {}

  /**
   * Planned switchover without losing acknowledged writes: 200 with `{ from, to, writeOutageMs,
   * oldPrimaryDemoted }`, 409 with the reason when refused (no quorum, no replica in sync,
   * standalone mode).
   */
  @Post('redis/switchover')
  @HttpCode(200)
  run(@Headers('authorization') authorization: string | undefined): Promise<SwitchoverResult> {
    if (this.api.adminToken === undefined)
      throw new ForbiddenException('admin endpoints are off: ADMIN_TOKEN is not set');
    assertBearerToken(authorization, this.api.adminToken);
    return this.switchover.switchover();
  }
}
