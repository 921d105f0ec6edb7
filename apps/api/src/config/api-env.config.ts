import { registerAs } from '@nestjs/config';
import { RedisConfigError, VALUE_IN_MESSAGE, formatConfigIssues, presentEnv } from '@sentinel-kit/redis';
import { parseRateSpec, type RateLimitRule } from '@sentinel-kit/rate-limit';
import { z } from 'zod';
import { parseTrustProxy } from './trust-proxy';

/** The sample API's own settings. */
export interface ApiConfig {
  /** HTTP port. @default 3000 */
  port: number;
  /** `GET /demo/limited`, per client IP. @default 10 per 60 s */
  demoRateLimit: RateLimitRule;
  /** `POST /sessions` (the login), per client IP, against brute force. @default 10 per 60 s */
  loginRateLimit: RateLimitRule;
  /** `POST /events`, per client IP. @default 60 per 60 s */
  eventsRateLimit: RateLimitRule;
  /** Every request to a token-guarded route (`/admin/*`, `/health/redis`), per client IP, right token or not. @default 30 per 60 s */
  authRateLimit: RateLimitRule;
  /** `GET /events` streams open at once on this instance. @default 1000 */
  eventsMaxStreams: number;
  /** `GET /events` streams open at once per client (IPv6: per network, like rate limits). @default 20 */
  eventsMaxStreamsPerClient: number;
  /** Bytes one stream may have waiting for a slow reader before it is dropped with a `lagged` notice. @default 1048576 */
  eventsMaxBufferedBytes: number;
  /** `GET /status/stream` feeds (the status page) open at once on this instance. @default 20 */
  statusMaxStreams: number;
  /** `GET /status/stream` feeds open at once per client (IPv6: per network). @default 4 */
  statusMaxStreamsPerClient: number;
  /** Bearer token that `POST /events` requires; unset: open (still rate limited). A secret, never shown. */
  eventsPublishToken?: string;
  /** `Secure` on the session cookie: `auto` (when the request came over TLS, directly or through a trusted proxy), or always/never. @default 'auto' */
  sessionCookieSecure: 'auto' | 'true' | 'false';
  /** After a switchover, how long another is refused (409), across every instance. @default 60000 */
  switchoverCooldownMs: number;
  /** After SIGTERM, how long in-flight requests may take before their connections are cut. @default 10000 */
  shutdownGraceMs: number;
  /** Express' `trust proxy`. @default false */
  trustProxy: false | number | string[];
  /** `/health` and `/health/ready` report down above this heap size, in MiB. @default 1024 */
  healthHeapMaxMb: number;
  /** Bearer token that `GET /health/redis` requires; unset: open. A secret, never shown. */
  healthDetailsToken?: string;
  /** Bearer token that `POST /admin/redis/switchover` requires; unset: the endpoint is off. A secret. */
  adminToken?: string;
  /** `text` (Nest's coloured lines) or `json` (one JSON object per line). @default 'text' */
  logFormat: 'text' | 'json';
}

/** A `z.string()` parsed by `parse`, whose error messages already quote the value. */
const parsedBy = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message, params: { [VALUE_IN_MESSAGE]: true } });
      return z.NEVER;
    }
  });

/** An integer variable from `min` to `max`. */
const integerFrom = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected an integer from ${min} to ${max}`);

/** A bearer token: long enough not to be guessed within the rate limits. */
const secretToken = z.string().trim().min(16, 'expected at least 16 characters');

/** Variables whose values are secrets: never shown, not even in their own error. */
const SECRET_VARIABLES = ['HEALTH_DETAILS_TOKEN', 'ADMIN_TOKEN', 'EVENTS_PUBLISH_TOKEN'];

const rateSpec = parsedBy((text) => {
  const { points, durationMs } = parseRateSpec(text);
  return { points, duration: durationMs };
});

const apiEnvSchema = z.object({
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected an integer from 1 to 65535')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, 'expected an integer from 1 to 65535')
    .default(3000),
  DEMO_RATE_LIMIT: rateSpec.default({ points: 10, duration: 60_000 }),
  LOGIN_RATE_LIMIT: rateSpec.default({ points: 10, duration: 60_000 }),
  EVENTS_RATE_LIMIT: rateSpec.default({ points: 60, duration: 60_000 }),
  AUTH_RATE_LIMIT: rateSpec.default({ points: 30, duration: 60_000 }),
  EVENTS_MAX_STREAMS: integerFrom(1, 1_000_000).default(1000),
  EVENTS_MAX_STREAMS_PER_IP: integerFrom(1, 1_000_000).default(20),
  EVENTS_MAX_BUFFER_BYTES: integerFrom(1024, 1024 * 1024 * 1024).default(1024 * 1024),
  EVENTS_PUBLISH_TOKEN: secretToken.optional(),
  STATUS_MAX_STREAMS: integerFrom(1, 100_000).default(20),
  STATUS_MAX_STREAMS_PER_IP: integerFrom(1, 100_000).default(4),
  SESSION_COOKIE_SECURE: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['auto', 'true', 'false'], 'expected auto, true or false'))
    .default('auto'),
  SWITCHOVER_COOLDOWN_MS: integerFrom(0, 86_400_000).default(60_000),
  SHUTDOWN_GRACE_MS: z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected an integer from 0 to 600000 (milliseconds)')
    .transform(Number)
    .refine((ms) => ms <= 600_000, 'expected an integer from 0 to 600000 (milliseconds)')
    .default(10_000),
  TRUST_PROXY: parsedBy(parseTrustProxy).default(false),
  HEALTH_HEAP_MAX_MB: z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected an integer from 16 to 65536')
    .transform(Number)
    .refine((mb) => mb >= 16 && mb <= 65536, 'expected an integer from 16 to 65536')
    .default(1024),
  HEALTH_DETAILS_TOKEN: secretToken.optional(),
  ADMIN_TOKEN: secretToken.optional(),
  LOG_FORMAT: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['text', 'json'], 'expected text or json'))
    .default('text'),
});

/** Every environment variable the sample API itself reads. */
export const API_ENV_VARIABLES: readonly string[] = Object.freeze(Object.keys(apiEnvSchema.shape));

/**
 * The sample API's settings from `PORT`, the `*_RATE_LIMIT` rules (`POINTS/DURATION`, e.g.
 * `10/60s`), `SHUTDOWN_GRACE_MS`, `LOG_FORMAT`, `TRUST_PROXY`, `HEALTH_HEAP_MAX_MB`, the `EVENTS_*`
 * and `STATUS_*` stream bounds, `SESSION_COOKIE_SECURE`, `SWITCHOVER_COOLDOWN_MS` and the tokens
 * `HEALTH_DETAILS_TOKEN`, `ADMIN_TOKEN` and `EVENTS_PUBLISH_TOKEN` (secrets: never shown).
 * @throws RedisConfigError (subject `API`) naming every bad variable and its value.
 */
export function resolveApiEnv(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const parsed = apiEnvSchema.safeParse(presentEnv(env), { reportInput: true });
  if (!parsed.success)
    throw new RedisConfigError(formatConfigIssues(parsed.error.issues, { secretPaths: SECRET_VARIABLES }), 'API');
  const e = parsed.data;
  return {
    port: e.PORT,
    demoRateLimit: { ...e.DEMO_RATE_LIMIT, name: 'demo' },
    loginRateLimit: { ...e.LOGIN_RATE_LIMIT, name: 'login' },
    eventsRateLimit: { ...e.EVENTS_RATE_LIMIT, name: 'events' },
    authRateLimit: { ...e.AUTH_RATE_LIMIT, name: 'auth' },
    eventsMaxStreams: e.EVENTS_MAX_STREAMS,
    eventsMaxStreamsPerClient: e.EVENTS_MAX_STREAMS_PER_IP,
    eventsMaxBufferedBytes: e.EVENTS_MAX_BUFFER_BYTES,
    eventsPublishToken: e.EVENTS_PUBLISH_TOKEN,
    statusMaxStreams: e.STATUS_MAX_STREAMS,
    statusMaxStreamsPerClient: e.STATUS_MAX_STREAMS_PER_IP,
    sessionCookieSecure: e.SESSION_COOKIE_SECURE,
    switchoverCooldownMs: e.SWITCHOVER_COOLDOWN_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    trustProxy: e.TRUST_PROXY,
    healthHeapMaxMb: e.HEALTH_HEAP_MAX_MB,
    healthDetailsToken: e.HEALTH_DETAILS_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    logFormat: e.LOG_FORMAT,
  };
}

/** `api` namespace of `@nestjs/config`, validated at startup. */
export const apiEnvConfig = registerAs('api', () => resolveApiEnv(process.env));
