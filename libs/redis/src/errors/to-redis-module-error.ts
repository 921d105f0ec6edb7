import { RedisCommandRejectedError } from './redis-command-rejected.error';
import { RedisModuleError } from './redis-module.error';
import { RedisOutcomeUnknownError } from './redis-outcome-unknown.error';
import { RedisPermissionError } from './redis-permission.error';
import { RedisUnavailableError } from './redis-unavailable.error';
import type { SecretRedactor } from './secret-redactor';

/** ioredis' messages for a command that was written to the socket and never answered. */
const SENT_BUT_UNANSWERED = [
  /^Command timed out$/,
  /^Connection is closed\.$/,
  /^Reached the max retries per request limit/,
  // The rest of a pipeline whose connection closed after its first replies: sent, never answered.
  /^Command aborted due to connection close$/,
  // A cluster client that followed redirections until it gave up, the last attempt unanswered.
  /^Too many Cluster redirections\. Last error: Error: (?:Command timed out|Connection is closed\.)$/,
];

/**
 * Turns whatever ioredis rejected with into one of our typed errors, keeping only a redacted
 * message. ioredis errors carry the command's arguments (an `AUTH` password among them), so the
 * original is deliberately not kept as `cause`.
 *
 * - a timeout or a connection lost after sending → {@link RedisOutcomeUnknownError}
 * - a Redis error reply → {@link RedisPermissionError} (`NOPERM`) or {@link RedisCommandRejectedError}
 * - anything else (not connected, refused) → {@link RedisUnavailableError}
 */
export function toRedisModuleError(error: unknown, operation: string, redactor: SecretRedactor): RedisModuleError {
  if (error instanceof RedisModuleError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redactor.redact(raw);
  if (SENT_BUT_UNANSWERED.some((pattern) => pattern.test(raw))) {
    return new RedisOutcomeUnknownError(
      `${operation}: no answer from Redis (${message}); it may or may not have been applied`,
    );
  }
  if (error instanceof Error && error.name === 'ReplyError') {
    const redisCode = raw.split(/\s/, 1)[0];
    if (redisCode === 'NOPERM') return new RedisPermissionError(`${operation}: ${message}`);
    return new RedisCommandRejectedError(`${operation}: ${message}`, redisCode);
  }
  return new RedisUnavailableError(`${operation}: Redis is unavailable (${message})`);
}
