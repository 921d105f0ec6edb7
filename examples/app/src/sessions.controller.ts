import { BadRequestException, Body, Controller, Get, Headers, Post, UnauthorizedException } from '@nestjs/common';
import { isSessionId, SessionService } from '@sentinel-kit/session';

@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  /** Signs in (no password in this example): the session id is the bearer token. */
  @Post()
  async create(@Body() body: { userId?: unknown }) {
    if (typeof body?.userId !== 'string' || body.userId === '') throw new BadRequestException('userId is required');
    const { id, expiresAt } = await this.sessions.create(body.userId, { signedInAt: Date.now() });
    return { token: id, expiresAt };
  }

  @Get('current')
  async current(@Headers('authorization') authorization = '') {
    const token = authorization.replace(/^Bearer /, '');
    const session = isSessionId(token) ? await this.sessions.get(token) : null;
    if (!session) throw new UnauthorizedException();
    return { userId: session.userId, expiresAt: session.expiresAt };
  }
}
