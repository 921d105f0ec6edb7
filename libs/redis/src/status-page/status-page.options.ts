import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { RedisConfigError } from '../errors/redis-config.error';
import { formatConfigIssues } from '../options/config-issue.formatter';
import { integerOption } from '../options/integer-option';

/** Options of `RedisStatusPageModule.forRoot`. */
export interface RedisStatusPageOptions {
  /**
   * Bearer token that the live feed (`GET /status/stream`) requires; unset: open. The page itself
   * holds no data and asks for the token in a form. A secret: never shown or logged.
   */
  token?: string;
  /** Live feeds open at once on this instance. @default 20 */
  maxStreams?: number;
  /** Live feeds open at once per client ({@link clientKey}). @default 4 */
  maxStreamsPerClient?: number;
  /** Bytes a feed may have waiting for a slow reader before it is dropped with a `lagged` notice. @default 262144 */
  maxBufferedBytes?: number;
  /** How often the page gets a fresh view of the group, and a point of the latency chart, in ms. @default 1000 */
  intervalMs?: number;
  /** Points the latency chart keeps (a new page starts with them). @default 120 */
  chartPoints?: number;
  /** Who a request comes from, for `maxStreamsPerClient`. @default the request's `ip` (Express), else its socket's address */
  clientKey?: (request: IncomingMessage & { ip?: string }) => string;
}

/** {@link RedisStatusPageOptions} validated, with every default applied. */
export interface ResolvedStatusPageOptions {
  readonly token: string | undefined;
  readonly maxStreams: number;
  readonly maxStreamsPerClient: number;
  readonly maxBufferedBytes: number;
  readonly intervalMs: number;
  readonly chartPoints: number;
  readonly clientKey: (request: IncomingMessage & { ip?: string }) => string;
}

const schema = z.strictObject({
  token: z.string().min(16, 'expected at least 16 characters').optional(),
  maxStreams: integerOption(1, 100_000).optional(),
  maxStreamsPerClient: integerOption(1, 100_000).optional(),
  maxBufferedBytes: integerOption(1024, 1024 * 1024 * 1024).optional(),
  intervalMs: integerOption(100, 60_000).optional(),
  chartPoints: integerOption(2, 10_000).optional(),
  clientKey: z
    .custom<(request: IncomingMessage & { ip?: string }) => string>(
      (value) => typeof value === 'function',
      'expected a function',
    )
    .optional(),
});

/**
 * Validates the status page's options and applies the defaults.
 * @throws RedisConfigError (subject `status page`) listing every problem, never the token's value.
 */
export function resolveStatusPageOptions(options: RedisStatusPageOptions): ResolvedStatusPageOptions {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) {
    throw new RedisConfigError(formatConfigIssues(parsed.error.issues, { secretPaths: ['token'] }), 'status page');
  }
  const given = parsed.data;
  return Object.freeze({
    token: given.token,
    maxStreams: given.maxStreams ?? 20,
    maxStreamsPerClient: given.maxStreamsPerClient ?? 4,
    maxBufferedBytes: given.maxBufferedBytes ?? 256 * 1024,
    intervalMs: given.intervalMs ?? 1000,
    chartPoints: given.chartPoints ?? 120,
    clientKey: given.clientKey ?? requestAddress,
  });
}

function requestAddress(request: IncomingMessage & { ip?: string }): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

/** Injection token of the {@link ResolvedStatusPageOptions}. */
export const STATUS_PAGE_RESOLVED_OPTIONS = Symbol('STATUS_PAGE_RESOLVED_OPTIONS');
