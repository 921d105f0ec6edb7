import type { CookieOptions, Request } from 'express';
import type { ApiConfig } from '../config/api-env.config';

/** Name of the cookie that carries the session id: the credential of every `/sessions` route. */
export const SESSION_COOKIE = 'sid';

/**
 * HttpOnly, SameSite=Lax, expiring with the session, and `Secure` as `SESSION_COOKIE_SECURE` says:
 * `auto` when the request came over TLS, directly or as a proxy trusted by `TRUST_PROXY` says with
 * `X-Forwarded-Proto` (Express' `request.secure`; an untrusted client's header is ignored).
 */
export function sessionCookieOptions(
  request: Request,
  expiresAt: Date,
  secure: ApiConfig['sessionCookieSecure'],
): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure === 'auto' ? request.secure : secure === 'true',
    path: '/',
    expires: expiresAt,
  };
}

/** The session id the request's cookie carries, if any. */
export function sessionIdOf(request: Request): string | undefined {
  const id: unknown = (request.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
