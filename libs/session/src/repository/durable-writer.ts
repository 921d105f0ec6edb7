import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisExecutor, RedisOutcomeUnknownError, type Answer, type ResilientOperation } from '@sentinel-kit/redis';
import { RedisConnections, ReplicatedScripts, type RedisClient, type RedisScript } from '@sentinel-kit/redis/internal';
import { SessionNotReplicatedError } from '../errors/session-not-replicated.error';
import type { ResolvedSessionOptions } from '../options/session-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { SessionMetrics } from '../session.metrics';

/** One scripted write. Its script must be idempotent, with the same answer when run again (see session-scripts). */
export interface ScriptedWrite extends Pick<ResilientOperation<number>, 'memory' | 'memoryAfterUnknown'> {
  /** For errors and logs; never values. */
  name: string;
  script: RedisScript;
  keys: string[];
  args: (string | number)[];
  /** Wait for replicas (when the durability mode is `replicated`); false for expiry renewals. */
  durable: boolean;
}

/**
 * Runs the session library's writes as Lua scripts through the resilient executor, as idempotent
 * writes: one whose answer was lost is sent again while it is held through a failover. A durable write
 * in `replicated` mode is confirmed by `WAIT <replicas> <timeout>` on a dedicated primary
 * connection (so a blocking `WAIT` never holds up other Redis traffic), with group commit: the
 * durable writes that arrive while one `WAIT` is out share the next (see `ReplicatedScripts`).
 * A positive script result with too few confirmations is a {@link SessionNotReplicatedError}
 * (or a logged warning when `onUnreplicated` is `warn`).
 */
@Injectable()
export class DurableWriter {
  private readonly logger = new Logger('SessionModule');
  private readonly durableClient: RedisClient;
  private readonly replicated: ReplicatedScripts;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly executor: RedisExecutor,
    connections: RedisConnections,
    private readonly metrics: SessionMetrics,
  ) {
    this.durableClient = connections.primaryClient('durable');
    this.replicated = new ReplicatedScripts(options.replicas, options.replicationTimeoutMs);
  }

  /**
   * @returns the script's integer result, and which store answered.
   * @throws SessionNotReplicatedError, and the executor's typed errors.
   */
  run(write: ScriptedWrite): Promise<Answer<number>> {
    const waitForReplicas = write.durable && this.options.durability === 'replicated';
    return this.executor.write({
      name: write.name,
      primary: waitForReplicas ? this.durableClient : undefined,
      idempotent: true,
      redis: (client) =>
        waitForReplicas
          ? this.evalAndWait(client, write)
          : write.script.run(client, write.keys, write.args).then(Number),
      memory: write.memory,
      memoryNamespace: 'sessions',
      memoryAfterUnknown: write.memoryAfterUnknown,
    });
  }

  private async evalAndWait(client: RedisClient, write: ScriptedWrite): Promise<number> {
    const { replicas, replicationTimeoutMs } = this.options;
    const { reply, acknowledged } = await this.replicated.run(client, write.script, write.keys, write.args);
    const result = Number(reply);
    if (result <= 0) return result; // nothing was written: nothing to confirm
    if (acknowledged instanceof Error) {
      // Applied on the primary: whatever cut the WAIT off, no replica is known to have it.
      throw new RedisOutcomeUnknownError(`${write.name}: applied on the primary, but its WAIT got no answer`);
    }
    if (acknowledged < replicas) {
      const error = new SessionNotReplicatedError(write.name, acknowledged, replicas, replicationTimeoutMs);
      this.metrics.writeUnreplicated();
      if (this.options.onUnreplicated === 'error') throw error;
      this.logger.warn(error.message);
    }
    return result;
  }
}
