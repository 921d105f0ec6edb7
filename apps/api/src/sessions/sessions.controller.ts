import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Patch,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { SessionService, isSessionId, type Session } from '@sentinel-kit/session';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ZodBodyPipe } from '../common/zod-body.pipe';
import { apiEnvConfig } from '../config/api-env.config';
import { SESSION_COOKIE, sessionCookieOptions, sessionIdOf } from './session.cookie';
import { isSessionHandle, sessionHandle } from './session-handle';
import { PRIVILEGED_SESSION_KEYS, createSessionSchema, patchSessionSchema } from './session.schemas';
import {
  PENDING_SIGN_OUT,
  toCurrentView,
  toSummary,
  type CurrentSessionView,
  type PendingSignOut,
  type SessionSummary,
} from './session.views';

/**
 * Your own sessions. The `sid` cookie is the credential: every route but the login acts on the
 * cookie's session or its user's, and answers 401 without a live one. Another user's session is
 * never shown or changed: naming one answers 404, as an unknown one does. Errors of the session
 * library are mapped to JSON 4xx/503 by `RedisErrorFilter`.
 */
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    @Inject(apiEnvConfig.KEY) private readonly api: ConfigType<typeof apiEnvConfig>,
  ) {}

  /**
   * The demo login: 201 `{ handle, expiresAt, storage }` and the session cookie. It trusts `userId`:
   * a real app authenticates the user first. Limited per client by `LOGIN_RATE_LIMIT`.
   */
  @Post()
  @RateLimit('login')
  async create(
    @Body(new ZodBodyPipe(createSessionSchema)) body: z.output<typeof createSessionSchema>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ handle: string; expiresAt: string; storage: Session['source'] }> {
    const created = await this.sessions.create(body.userId, body.data ?? {});
    this.setCookie(request, response, created.id, created.expiresAt);
    return { handle: sessionHandle(created.id), expiresAt: created.expiresAt.toISOString(), storage: created.source };
  }

  /** Your session. */
  @Get('current')
  async current(@Req() request: Request): Promise<CurrentSessionView> {
    return toCurrentView(await this.currentSession(request));
  }

  /**
   * Merges the body into your session's data (`null` removes a key). A change to a privileged key
   * (`roles`, `permissions`, `scopes`) moves the session to a new id, with a new cookie.
   */
  @Patch('current')
  async update(
    @Body(new ZodBodyPipe(patchSessionSchema)) patch: z.output<typeof patchSessionSchema>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CurrentSessionView> {
    const { id } = await this.currentSession(request);
    if (!Object.keys(patch).some((key) => PRIVILEGED_SESSION_KEYS.includes(key))) {
      return toCurrentView(await this.sessions.update(id, patch));
    }
    const rotated = await this.sessions.rotate(id, patch);
    this.setCookie(request, response, rotated.id, rotated.expiresAt);
    return toCurrentView(rotated);
  }

  /**
   * The logout: 204 when destroyed, 404 when Redis has no such session, 202 when Redis could not be
   * told yet and this instance keeps the sign-out pending (memory fallback). While Redis cannot say,
   * 503 (from `RedisErrorFilter`), never 404. The cookie is cleared unless the answer is a 503.
   */
  @Delete('current')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PendingSignOut | undefined> {
    const id = sessionIdOf(request);
    if (id === undefined || !isSessionId(id)) throw new UnauthorizedException('no session cookie');
    const outcome = await this.sessions.destroy(id);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    if (outcome === 'not-found') throw new NotFoundException('session not found');
    if (outcome === 'destroyed') return undefined;
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }

  /** Your user's live sessions, oldest first: handles and times, never ids or data. */
  @Get()
  async list(@Req() request: Request): Promise<SessionSummary[]> {
    const { id, userId } = await this.currentSession(request);
    return (await this.sessions.listForUser(userId)).map((session) => toSummary(session, id));
  }

  /** Signs your user out everywhere: 200 `{ destroyed }`, or 202 when pending (see `DELETE /sessions/current`). */
  @Delete()
  async signOutEverywhere(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ destroyed: number } | PendingSignOut> {
    const { userId } = await this.currentSession(request);
    const result = await this.sessions.destroyAllForUser(userId);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    if (result.state === 'done') return { destroyed: result.destroyed };
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }

  /** Revokes one of your user's sessions by its handle: 204, 202 when pending, 404 when it is not one of yours. */
  @Delete(':handle')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @Param('handle') handle: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PendingSignOut | undefined> {
    const { userId } = await this.currentSession(request);
    if (!isSessionHandle(handle)) throw new NotFoundException('session not found');
    const target = (await this.sessions.listForUser(userId)).find((session) => sessionHandle(session.id) === handle);
    if (!target) throw new NotFoundException('session not found');
    const outcome = await this.sessions.destroy(target.id);
    if (outcome === 'not-found') throw new NotFoundException('session not found');
    if (outcome === 'destroyed') return undefined;
    response.status(HttpStatus.ACCEPTED);
    return PENDING_SIGN_OUT;
  }

  /** The cookie's live session. @throws UnauthorizedException without one. */
  private async currentSession(request: Request): Promise<Session> {
    const id = sessionIdOf(request);
    if (id === undefined) throw new UnauthorizedException('no session cookie');
    const session = isSessionId(id) ? await this.sessions.get(id) : null;
    if (!session) throw new UnauthorizedException('no live session for this cookie');
    return session;
  }

  private setCookie(request: Request, response: Response, id: string, expiresAt: Date): void {
    response.cookie(SESSION_COOKIE, id, sessionCookieOptions(request, expiresAt, this.api.sessionCookieSecure));
  }
}
