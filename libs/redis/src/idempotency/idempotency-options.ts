import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { RedisConfigError } from '../errors/redis-config.error';
import { formatConfigIssues } from '../options/config-issue.formatter';
import { failsOver } from '../options/fails-over';
import { integerOption } from '../options/integer-option';
import { assertReplicationTimeout } from '../options/replication-timeout';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';

/** Options of `IdempotencyModule.forRoot`. */
export interface IdempotencyModuleOptions {
  /** How long a key is remembered (its answer replayed), unless `@Idempotent({ ttlMs })` says otherwise. @default 86400000 (24 h) */
  ttlMs?: number;
  /**
   * How long a claim lasts while its request runs, renewed every third of it: if the instance
   * running it dies, a retry may run the request after this long. @default 30000
   */
  leaseMs?: number;
  /**
   * Replicas that must confirm a claim and a stored answer (`WAIT`). @default 1 where a failover
   * can replace the primary (Sentinel, Cluster), 0 on a standalone Redis
   */
  replicas?: number;
  /** How long `WAIT` may wait for them, below the command timeout. @default 250 */
  replicationTimeoutMs?: number;
  /** Response headers stored with the answer and replayed (lower case). @default ['location'] */
  replayedHeaders?: string[];
  /** Answers larger than this (JSON) are not stored: the claim is released instead. @default 1048576 */
  maxAnswerBytes?: number;
  /**
   * Whose keys these are: a key is looked up within its scope (e.g. the user), so two clients
   * choosing the same key do not meet. @default every client shares one scope
   */
  scope?: (request: IncomingMessage) => string;
}

/** {@link IdempotencyModuleOptions} validated, every default applied. */
export interface ResolvedIdempotencyOptions {
  readonly ttlMs: number;
  readonly leaseMs: number;
  readonly replicas: number;
  readonly replicationTimeoutMs: number;
  readonly replayedHeaders: readonly string[];
  readonly maxAnswerBytes: number;
  readonly scope: (request: IncomingMessage) => string;
}

/** Injection token of the {@link ResolvedIdempotencyOptions}. */
export const IDEMPOTENCY_RESOLVED_OPTIONS = Symbol('IDEMPOTENCY_RESOLVED_OPTIONS');

/** A key's time to live: from 1 s to 30 days. */
export const IDEMPOTENCY_TTL_RANGE = { min: 1000, max: 30 * 86_400_000 } as const;

const schema = z.strictObject({
  ttlMs: integerOption(IDEMPOTENCY_TTL_RANGE.min, IDEMPOTENCY_TTL_RANGE.max).optional(),
  leaseMs: integerOption(1000, 3_600_000).optional(),
  replicas: integerOption(0, 100).optional(),
  replicationTimeoutMs: integerOption(1, 60_000).optional(),
  replayedHeaders: z
    .array(z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'expected lower-case header names'))
    .optional(),
  maxAnswerBytes: integerOption(1, 64 * 1024 * 1024).optional(),
  scope: z
    .custom<(request: IncomingMessage) => string>((value) => typeof value === 'function', 'expected a function')
    .optional(),
});

/**
 * Validates the idempotency options against the Redis module's.
 * @throws RedisConfigError (subject `idempotency`) listing every problem.
 */
export function resolveIdempotencyOptions(
  options: IdempotencyModuleOptions,
  redis: ResolvedRedisOptions,
): ResolvedIdempotencyOptions {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues), 'idempotency');
  const given = parsed.data;
  const resolved: ResolvedIdempotencyOptions = {
    ttlMs: given.ttlMs ?? 86_400_000,
    leaseMs: given.leaseMs ?? 30_000,
    replicas: given.replicas ?? (failsOver(redis) ? 1 : 0),
    replicationTimeoutMs: given.replicationTimeoutMs ?? 250,
    replayedHeaders: Object.freeze([...(given.replayedHeaders ?? ['location'])]),
    maxAnswerBytes: given.maxAnswerBytes ?? 1024 * 1024,
    scope: given.scope ?? (() => ''),
  };
  assertReplicationTimeout(resolved, redis, 'idempotency');
  return Object.freeze(resolved);
}
