import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { RedisMetrics, type CommandClass } from '../cache/redis-metrics';
import { logEvent } from '../common/log-event';
import { RedisConnections, waitForReady } from '../client/redis-connections';
import { RedisCommandRejectedError } from '../errors/redis-command-rejected.error';
import type { RedisModuleError } from '../errors/redis-module.error';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import { RedisUnavailableError } from '../errors/redis-unavailable.error';
import { toRedisModuleError } from '../errors/to-redis-module-error';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { MemoryStore } from './memory-store';

/** Redis error replies that mean "this node cannot serve now", not "your command is wrong". */
const UNAVAILABLE_REPLIES = new Set(['READONLY', 'NOREPLICAS', 'LOADING', 'MASTERDOWN', 'BUSY', 'TRYAGAIN']);

/** A Redis call and what to do instead when Redis cannot answer. */
export interface ResilientOperation<T> {
  /** Name for errors and logs, e.g. `get`. Never include values. */
  name: string;
  /** The call against a client. Keys go as given: add `REDIS_RESOLVED_OPTIONS.keyPrefix` yourself. */
  redis: (client: Redis) => Promise<T>;
  /**
   * The same operation against the in-memory store. Omit it for operations that must fail rather
   * than be answered from memory (security checks that fail closed, for instance).
   */
  memory?: (store: MemoryStore) => T;
  /** A connection to the primary to run on instead of the write client (see `RedisConnections.primaryClient`). */
  primary?: Redis;
  /**
   * Running it twice has the effect of running it once (`SET` of a given value, `DEL`): a write
   * whose outcome is unknown (sent, connection lost) may then be sent again during a failover hold.
   */
  idempotent?: boolean;
}

/** Redis replies that mean "not applied, this node cannot take writes now": worth a retry after a switch. */
const NOT_APPLIED_REPLIES = new Set(['READONLY', 'NOREPLICAS', 'LOADING', 'MASTERDOWN', 'TRYAGAIN']);
/** Pause before retrying on a connection that still looks ready (it is about to reconnect). */
const RETRY_PAUSE_MS = 50;

/**
 * Runs every Redis call of the toolkit behind a circuit breaker with an in-memory fallback:
 * - writes go to the primary; reads go to a replica when enabled, then to the primary;
 * - after `failureThreshold` consecutive availability failures the circuit opens: calls are served
 *   by the {@link MemoryStore} (or fail at once with a typed error when the fallback is off), and a
 *   `PING` probe every `probeIntervalMs` closes it again when Redis answers;
 * - the memory store is emptied when Redis is back: its entries are local to this instance and
 *   are not carried back to Redis;
 * - in Sentinel mode, a write that cannot reach the primary waits for it (a failover in progress)
 *   for up to `sentinel.writeHoldMs`, and is sent again once it is back, instead of failing; not
 *   when no sentinel answers (no failover can come), nor after shutdown began.
 */
@Injectable()
export class RedisExecutor implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisModule');
  private readonly breaker: CircuitBreaker;
  private readonly writeHoldMs: number;
  private probeTimer?: NodeJS.Timeout;
  private openedAt: Date | null = null;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly connections: RedisConnections,
    private readonly memory: MemoryStore,
    readonly metrics: RedisMetrics,
  ) {
    this.breaker = new CircuitBreaker(options.circuit.failureThreshold, (state) => this.onCircuitChange(state));
    this.writeHoldMs = options.mode === 'sentinel' ? options.sentinel.writeHoldMs : 0;
  }

  /**
   * Whether calls are being served from memory (or refused) because Redis is unreachable: the
   * circuit is open, or the write client has no connection (calls fail over at once then).
   */
  get degraded(): boolean {
    return this.breaker.isOpen || this.connections.write.status !== 'ready';
  }

  /** When the circuit last opened, while it is open; null otherwise. */
  get degradedSince(): Date | null {
    return this.openedAt;
  }

  onApplicationShutdown(): void {
    clearInterval(this.probeTimer);
  }

  /**
   * A write, or a read that must see the latest acknowledged writes: to the primary, or to memory
   * when degraded.
   * @throws RedisUnavailableError / RedisOutcomeUnknownError when Redis fails and the fallback is off.
   * @throws RedisCommandRejectedError when Redis rejects the command (e.g. `WRONGTYPE`).
   */
  write<T>(operation: ResilientOperation<T>): Promise<T> {
    return this.breaker.isOpen ? this.degradeOpen(operation) : this.onPrimary(operation, 'write');
  }

  /**
   * A read: from a replica when enabled (a failed replica read is retried on the primary, so a
   * hung replica can cost up to twice the command timeout), or from memory when degraded. Throws
   * like {@link write}.
   */
  read<T>(operation: ResilientOperation<T>): Promise<T> {
    if (this.breaker.isOpen) return this.degradeOpen(operation);
    const { read, write } = this.connections;
    return read !== write && read.status === 'ready'
      ? this.onReplica(operation, read)
      : this.onPrimary(operation, 'read');
  }

  /**
   * One `PING` to the primary, bounded by the command timeout; feeds the circuit breaker.
   * @returns whether Redis answered.
   */
  async probe(): Promise<boolean> {
    try {
      await this.connections.write.ping();
      this.breaker.recordSuccess();
      return true;
    } catch {
      return false;
    }
  }

  /** A read on a replica; an availability failure sends it to the primary. */
  private async onReplica<T>(operation: ResilientOperation<T>, replica: Redis): Promise<T> {
    const started = performance.now();
    try {
      return await operation.redis(replica);
    } catch (error) {
      const failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
      if (!isAvailabilityFailure(failure)) throw failure;
    } finally {
      this.metrics.recordLatency(performance.now() - started, 'read', 'replica');
    }
    return this.onPrimary(operation, 'read');
  }

  /**
   * Runs on the primary; availability failures count against the circuit and are served from
   * memory (or rethrown typed). Every call of the toolkit passes here, so it is one async step
   * without closures.
   */
  private async onPrimary<T>(operation: ResilientOperation<T>, commandClass: CommandClass): Promise<T> {
    const started = performance.now();
    try {
      const result = await operation.redis(operation.primary ?? this.connections.write);
      this.breaker.recordSuccess();
      return result;
    } catch (error) {
      const failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
      if (commandClass === 'write' && this.writeHoldMs > 0 && isRetriable(failure, operation) && this.canFailOver()) {
        return await this.holdAndRetry(operation, failure, started + this.writeHoldMs);
      }
      if (isAvailabilityFailure(failure)) this.breaker.recordFailure();
      return this.degrade(operation, failure);
    } finally {
      this.metrics.recordLatency(performance.now() - started, commandClass, 'primary');
    }
  }

  /**
   * A write that could not reach the primary: wait until the primary connection is ready again
   * (SentinelMonitor moves it as soon as the sentinels name a new primary) and send it again, as
   * long as each failure leaves it safe to, until `deadline`. Then fail or fall back as usual.
   */
  private async holdAndRetry<T>(
    operation: ResilientOperation<T>,
    first: RedisModuleError,
    deadline: number,
  ): Promise<T> {
    let failure = first;
    // Once an attempt may have been applied, a later "not sent" does not make the write a definite failure.
    let uncertain = first instanceof RedisOutcomeUnknownError;
    this.metrics.heldWrites += 1;
    const { closed } = this.connections;
    while (!closed.aborted && isRetriable(failure, operation) && this.canFailOver()) {
      const client = operation.primary ?? this.connections.write;
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      if (client.status === 'ready') await sleep(Math.min(RETRY_PAUSE_MS, remaining));
      else if (!(await waitForReady(client, remaining, closed))) break;
      try {
        const result = await operation.redis(client);
        this.breaker.recordSuccess();
        return result;
      } catch (error) {
        failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
        uncertain ||= failure instanceof RedisOutcomeUnknownError;
      }
    }
    if (uncertain && !(failure instanceof RedisOutcomeUnknownError)) {
      failure = new RedisOutcomeUnknownError(
        `${operation.name}: an earlier attempt got no answer, so it may have been applied; the last one failed: ${failure.message}`,
      );
    }
    if (isAvailabilityFailure(failure)) this.breaker.recordFailure();
    return this.degrade(operation, failure);
  }

  /**
   * Whether a sentinel answers, so that a new primary can be named: with none, holding a write
   * cannot help, and it fails (or falls back) at once.
   */
  private canFailOver(): boolean {
    return this.connections.sentinels.some((sentinel) => sentinel.commands.status === 'ready');
  }

  /** While the circuit is open: memory, or a typed failure (a rejection), without touching Redis. */
  private degradeOpen<T>(operation: ResilientOperation<T>): Promise<T> {
    return new Promise((resolve) => resolve(this.degrade(operation, this.openCircuitError(operation.name))));
  }

  private degrade<T>(operation: ResilientOperation<T>, failure: RedisModuleError): T {
    if (!isAvailabilityFailure(failure) || !this.options.fallback.enabled || !operation.memory) throw failure;
    this.metrics.fallbackOperations += 1;
    return operation.memory(this.memory);
  }

  private counted(failure: RedisModuleError): RedisModuleError {
    this.metrics.recordError(failure.code);
    return failure;
  }

  private openCircuitError(name: string): RedisUnavailableError {
    return new RedisUnavailableError(`${name}: Redis is unavailable (circuit open after repeated failures)`);
  }

  private onCircuitChange(state: CircuitState): void {
    this.openedAt = state === 'open' ? new Date() : null;
    if (state === 'open') {
      this.logger.warn(
        logEvent(
          'redis.degraded',
          { fallback: this.options.fallback.enabled },
          this.options.fallback.enabled
            ? 'Redis unreachable: serving from the in-memory fallback (degraded)'
            : 'Redis unreachable: calls fail fast until it answers again (fallback disabled)',
        ),
      );
      clearInterval(this.probeTimer);
      this.probeTimer = setInterval(() => void this.probe(), this.options.circuit.probeIntervalMs);
      this.probeTimer.unref();
    } else {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.memory.clear();
      this.logger.log(logEvent('redis.recovered', {}, 'Redis reachable again: back from the in-memory fallback'));
    }
  }
}

/** Whether sending `operation` again after `failure` cannot apply it twice. */
function isRetriable(failure: RedisModuleError, operation: ResilientOperation<unknown>): boolean {
  if (failure instanceof RedisUnavailableError) return true;
  if (failure instanceof RedisOutcomeUnknownError) return operation.idempotent === true;
  return failure instanceof RedisCommandRejectedError && NOT_APPLIED_REPLIES.has(failure.redisCode);
}

/**
 * Whether an error says Redis cannot serve now (unavailable, outcome unknown, or a reply such as
 * `READONLY`/`LOADING`), as opposed to a problem with the command itself. Such errors count against
 * the circuit and may be answered by a fallback.
 */
export function isAvailabilityFailure(error: RedisModuleError): boolean {
  if (error instanceof RedisUnavailableError || error instanceof RedisOutcomeUnknownError) return true;
  return error instanceof RedisCommandRejectedError && UNAVAILABLE_REPLIES.has(error.redisCode);
}
