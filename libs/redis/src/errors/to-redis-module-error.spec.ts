import { RedisCommandRejectedError } from './redis-command-rejected.error';
import { RedisOutcomeUnknownError } from './redis-outcome-unknown.error';
import { RedisPermissionError } from './redis-permission.error';
import { RedisUnavailableError } from './redis-unavailable.error';
import { SecretRedactor } from './secret-redactor';
import { toRedisModuleError } from './to-redis-module-error';

/** Shaped like ioredis' ReplyError, which carries the command and its arguments. */
function replyError(message: string, args: string[]): Error {
  const error = new Error(message) as Error & { command: { name: string; args: string[] } };
  error.name = 'ReplyError';
  error.command = { name: 'auth', args };
  return error;
}

describe('toRedisModuleError', () => {
  const redactor = new SecretRedactor(['hunter2']);

  it('classifies a timeout and a connection lost after sending as unknown outcome', () => {
    expect(toRedisModuleError(new Error('Command timed out'), 'set', redactor)).toBeInstanceOf(
      RedisOutcomeUnknownError,
    );
    expect(toRedisModuleError(new Error('Connection is closed.'), 'set', redactor)).toBeInstanceOf(
      RedisOutcomeUnknownError,
    );
    // A pipeline cut after its first replies: ioredis aborts the commands it had sent after them.
    const aborted = new Error('Command aborted due to connection close');
    aborted.name = 'AbortError';
    expect(toRedisModuleError(aborted, 'set', redactor)).toBeInstanceOf(RedisOutcomeUnknownError);
  });

  it('classifies refusals to send as unavailable (definitely not applied)', () => {
    const error = toRedisModuleError(
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      'set',
      redactor,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.code).toBe('REDIS_UNAVAILABLE');
  });

  it('classifies error replies as definite rejections, NOPERM as a permission problem', () => {
    const readonly = toRedisModuleError(
      replyError("READONLY You can't write against a read only replica.", []),
      'set',
      redactor,
    );
    expect(readonly).toBeInstanceOf(RedisCommandRejectedError);
    expect((readonly as RedisCommandRejectedError).redisCode).toBe('READONLY');
    expect(toRedisModuleError(replyError('NOPERM no permission', []), 'get', redactor)).toBeInstanceOf(
      RedisPermissionError,
    );
  });

  it('keeps neither the command arguments nor a secret', () => {
    const error = toRedisModuleError(
      replyError('WRONGPASS invalid password hunter2', ['user', 'hunter2']),
      'auth',
      redactor,
    );
    expect(error.message).toBe('auth: WRONGPASS invalid password ***');
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('redacts credentials in URLs', () => {
    expect(redactor.redact('cannot reach redis://app:s3cret@cache:6379/0')).toBe(
      'cannot reach redis://***@cache:6379/0',
    );
  });
});
