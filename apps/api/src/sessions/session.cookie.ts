import type { CookieOptions, Request } from 'express';

/** Name of the cookie that carries the session id. */
export const SESSION_COOKIE = 'sid';

/** HttpOnly, SameSite=Lax, Secure over HTTPS, expiring with the session. */
export function sessionCookieOptions(request: Request, expiresAt: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: request.secure, path: '/', expires: expiresAt };
}
