import { Injectable } from '@nestjs/common';
import { RedisExecutor, RedisKeyspace, type KeyNamespace } from '@sentinel-kit/redis';
import { RedisScript } from '@sentinel-kit/redis/internal';
import { InvalidSessionInputError } from './errors/invalid-session-input.error';
import { SESSION_DEFAULTS } from './session.constants';
import { DurableWriter } from './repository/durable-writer';

const REVOKE = new RedisScript(`redis.call('SET', KEYS[1], '1', 'PXAT', ARGV[1]) return 1`);
const MAX_JTI_LENGTH = 512;

/**
 * Revoked tokens (by JWT `jti`), each remembered until the token itself expires. Revocations are
 * durable like sessions, and both calls are held through a failover. Both fail closed: while Redis
 * cannot answer they throw instead of answering from this instance's memory, which could not know
 * about revocations made elsewhere.
 *
 * @example
 * await revocations.revoke(payload.jti, new Date(payload.exp * 1000));
 * if (await revocations.isRevoked(payload.jti)) throw new UnauthorizedException();
 */
@Injectable()
export class TokenRevocationService {
  /** `<REDIS_KEY_PREFIX>revoked-token:<jti>`. */
  private readonly revoked: KeyNamespace;

  constructor(
    private readonly writer: DurableWriter,
    private readonly executor: RedisExecutor,
    keyspace: RedisKeyspace,
  ) {
    this.revoked = keyspace.namespace(SESSION_DEFAULTS.revokedTokenKeyPrefix);
  }

  /**
   * Revokes `jti` until `expiresAt`; a token that has already expired needs nothing.
   * @throws InvalidSessionInputError, SessionNotReplicatedError, RedisUnavailableError.
   */
  async revoke(jti: string, expiresAt: Date): Promise<void> {
    assertJti(jti);
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
      throw new InvalidSessionInputError('expiresAt must be a valid Date');
    }
    if (expiresAt.getTime() <= Date.now()) return;
    await this.writer.run({
      name: 'token.revoke',
      script: REVOKE,
      keys: [this.revoked.key(jti)],
      args: [expiresAt.getTime()],
      durable: true,
    });
  }

  /**
   * Whether `jti` is revoked, read from the primary.
   * @throws RedisUnavailableError while Redis cannot answer (fails closed).
   */
  async isRevoked(jti: string): Promise<boolean> {
    assertJti(jti);
    const { value } = await this.executor.readPrimary({
      name: 'token.isRevoked',
      redis: async (client) => (await client.exists(this.revoked.key(jti))) === 1,
    });
    return value;
  }
}

function assertJti(jti: unknown): asserts jti is string {
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw new InvalidSessionInputError(`jti must be a non-empty string of at most ${MAX_JTI_LENGTH} characters`);
  }
}
