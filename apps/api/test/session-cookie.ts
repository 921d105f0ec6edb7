import type { Response } from 'supertest';

/** The `sid=…` pair a response set (its first Set-Cookie), for the next request's Cookie header. */
export function cookieOf(response: Response): string {
  return String(([] as string[]).concat(response.headers['set-cookie'] ?? [])[0]).split(';')[0];
}
