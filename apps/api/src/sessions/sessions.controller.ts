import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Patch,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { SessionService, isSessionId, type Session } from '@sentinel-kit/session';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { SESSION_COOKIE, sessionCookieOptions } from './session.cookie';
import { createSessionSchema, patchSessionSchema } from './session.schemas';

/** A session as the API shows it. */
export interface SessionView {
  id: string;
  userId: string;
  data: Record<string, unknown>;
  expiresAt: string;
  storage: Session['storage'];
}

/** The answer to a sign-out that Redis could not be told of yet. */
export interface PendingSignOut {
  pending: true;
  storage: 'memory';
  message: string;
}

const PENDING_SIGN_OUT: PendingSignOut = {
  pending: true,
  storage: 'memory',
  message: 'signed out on this instance; Redis is told as soon as it answers again',
};

/** Session endpoints; errors are mapped to JSON 4xx/503 by `RedisErrorFilter`. */
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  /** 201 `{ id, expiresAt, storage }` and the session cookie; the login, limited per IP by `LOGIN_RATE_LIMIT`. */
  @Post()
  @RateLimit('login')
  async create(
    @Body(new ZodBodyPipe(createSessionSchema)) body: z.output<typeof createSessionSchema>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ id: string; expiresAt: string; storage: Session['storage'] }> {
    const created = await this.sessions.create(body.userId, body.data ?? {});
    response.cookie(SESSION_COOKIE, created.id, sessionCookieOptions(request, created.expiresAt));
    return { id: created.id, expiresAt: created.expiresAt.toISOString(), storage: created.storage };
  }

  /** The session named by the cookie: 401 without a cookie, 404 when it is gone. */
  @Get('current')
  async current(@Req() request: Request): Promise<SessionView> {
    const id: unknown = (request.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    if (typeof id !== 'string' || id === '') throw new UnauthorizedException('no session cookie');
    if (!isSessionId(id)) throw new NotFoundException('session not found');
    return this.find(id);
  }

  @Get(':id')
  find(@Param('id') id: string): Promise<SessionView> {
    return this.sessions.get(id).then((session) => {
      if (!session) throw new NotFoundException('session not found');
      return toView(session);
    });
  }

  @Patch(':id')
  async update(
    @Param('id') id: string,
    @Body(new ZodBodyPipe(patchSessionSchema)) patch: z.output<typeof patchSessionSchema>,
  ): Promise<SessionView> {
    return toView(await this.sessions.update(id, patch));
  }

  /**
   * The logout: 204 when destroyed, 404 when Redis has no such session, 202 when Redis could not be
   * told yet and this instance keeps the sign-out pending (memory fallback). While Redis cannot say,
   * 503 (from `RedisErrorFilter`), never 404.
   */
  @Delete(':id')
  @HttpCode(204)
  async destroy(
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PendingSignOut | undefined> {
    const outcome = await this.sessions.destroy(id);
    if (outcome === 'not-found') throw new NotFoundException('session not found');
    if (outcome === 'destroyed') return undefined;
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }
}

/** Sessions of one user. */
@Controller('users/:userId/sessions')
export class UserSessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  async list(@Param('userId') userId: string): Promise<SessionView[]> {
    return (await this.sessions.listForUser(userId)).map(toView);
  }

  /** Sign out everywhere: 200 `{ destroyed }`, or 202 when the sign-out is pending (see `DELETE /sessions/:id`). */
  @Delete()
  async destroyAll(
    @Param('userId') userId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ destroyed: number } | PendingSignOut> {
    const result = await this.sessions.destroyAllForUser(userId);
    if (result.state === 'done') return { destroyed: result.destroyed };
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }
}

function toView(session: Session): SessionView {
  return {
    id: session.id,
    userId: session.userId,
    data: session.data,
    expiresAt: session.expiresAt.toISOString(),
    storage: session.storage,
  };
}
