import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../client/redis-client';
import { RedisMetrics } from '../metrics/redis-metrics';
import { logEvent } from '../common/log-event';
import { RedisConnections, waitForReady } from '../client/redis-connections';
import { RedisTopology } from '../client/topology/redis-topology';
import { ReplicaReadGate } from '../client/replica-read.gate';
import { RedisCommandRejectedError } from '../errors/redis-command-rejected.error';
import type { RedisModuleError } from '../errors/redis-module.error';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import { RedisUnavailableError } from '../errors/redis-unavailable.error';
import { toRedisModuleError } from '../errors/to-redis-module-error';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { FallbackStores } from '../fallback/fallback-stores';
import { scanPrimaryKeys } from './primary-scan';
import type { Answer, ResilientOperation } from './resilient-operation';
import { RedisTracing, type TracedOutcome } from '../tracing/redis-tracing';

/** Redis error replies that mean "this node cannot serve now", not "your command is wrong". */
const UNAVAILABLE_REPLIES = new Set([
  'READONLY',
  'NOREPLICAS',
  'LOADING',
  'MASTERDOWN',
  'BUSY',
  'TRYAGAIN',
  'CLUSTERDOWN',
  // A slot moved (a shard failover) under a reply that ioredis does not follow, such as in a pipeline.
  'MOVED',
  'ASK',
]);
/** Redis replies that mean "not applied, this node cannot take writes now": worth a retry after a switch. */
const NOT_APPLIED_REPLIES = new Set([
  'READONLY',
  'NOREPLICAS',
  'LOADING',
  'MASTERDOWN',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'MOVED',
  'ASK',
]);
/** First pause before retrying on a connection that still looks ready (it refused, or is about to reconnect). */
const RETRY_PAUSE_MS = 50;

/**
 * What a call does: `write` changes data on the primary; `primary-read` reads what must reflect
 * every acknowledged write, so only the primary may answer it; `read` may be answered by a replica.
 */
type CallKind = 'write' | 'primary-read' | 'read';

/**
 * Runs every Redis call of the toolkit, bounded by the command timeout, behind a circuit breaker,
 * and says which store answered ({@link Answer}):
 * - writes and primary reads go to the primary; reads go to a replica while it is fresh
 *   ({@link ReplicaReadGate}), else to the primary;
 * - in Sentinel and Cluster mode, a write or primary read that cannot reach the primary (its
 *   shard's primary) is held (for up to the write hold) while a failover can come: it is sent
 *   again once the primary is back or a new one is named, when sending it again cannot apply it
 *   twice; not after shutdown began;
 * - after `failureThreshold` consecutive availability failures the circuit opens: an operation
 *   with a `memory` answer gets it at once, one without waits (when it may be held) or fails at
 *   once with a typed error. A write probe (`ROLE` is master and a `SET` succeeds) every
 *   `probeIntervalMs`, and whenever the primary connection comes back, closes it again;
 * - a write whose outcome is unknown is reported as such, never answered from memory;
 * - the memory store is emptied when the circuit closes: its entries are local to this instance;
 * - while an OpenTelemetry SDK is registered, each call is a span ({@link RedisTracing}).
 */
@Injectable()
export class RedisExecutor implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisModule');
  private readonly breaker: CircuitBreaker;
  private readonly holdMs: number;
  private readonly probeKey: string;
  private probeTimer?: NodeJS.Timeout;
  private probing?: Promise<boolean>;
  private openedAt: Date | null = null;
  /** Held calls waiting for the circuit to close. */
  private readonly closeWaiters = new Set<() => void>();

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly connections: RedisConnections,
    private readonly memory: FallbackStores,
    readonly metrics: RedisMetrics,
    private readonly readGate: ReplicaReadGate,
    keyspace: RedisKeyspace,
    private readonly topology: RedisTopology,
    private readonly tracing: RedisTracing,
  ) {
    this.breaker = new CircuitBreaker(options.circuit.failureThreshold, (state) => this.onCircuitChange(state));
    this.holdMs = topology.failoverHoldMs;
    this.probeKey = keyspace.key(REDIS_DEFAULTS.writeProbeKey);
    // A primary connection that comes back (a reconnect, or a move to a new primary) is probed at once.
    connections.write.on('ready', () => {
      if (this.breaker.isOpen) void this.probe();
    });
  }

  /**
   * Whether calls are being served from memory (or refused) because Redis cannot take them: the
   * circuit is open, or the write client has no connection.
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
   * A write, on the primary.
   * @throws RedisUnavailableError (not applied) / RedisOutcomeUnknownError (may have been applied)
   *   when Redis cannot take it and there is no memory answer.
   * @throws RedisCommandRejectedError when Redis rejects the command (e.g. `WRONGTYPE`).
   */
  write<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    if (this.tracing.enabled) {
      return this.tracing.traceCall(operation.name, 'write', () => this.runWrite(operation), outcome);
    }
    return this.runWrite(operation);
  }

  /**
   * A read that must see every acknowledged write (a session, a revocation): on the primary, held
   * through a failover like a write, never on a replica. Throws like {@link write}.
   */
  readPrimary<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    if (this.tracing.enabled) {
      return this.tracing.traceCall(operation.name, 'read', () => this.runPrimaryRead(operation), outcome);
    }
    return this.runPrimaryRead(operation);
  }

  /**
   * A read that may be a little stale (a cache read): on the replica while {@link ReplicaReadGate}
   * finds it fresh (a failed replica read is retried on the primary, so a hung replica can cost up
   * to twice the command timeout), else on the primary. Not held. Throws like {@link write}.
   */
  read<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    if (this.tracing.enabled) {
      return this.tracing.traceCall(operation.name, 'read', () => this.runRead(operation), outcome);
    }
    return this.runRead(operation);
  }

  /**
   * Every key matching `pattern` on the primary (on every shard's primary, in Cluster mode), by
   * `SCAN` pages of `count` (each page a primary read). When the connection changes between two
   * pages (a failover, a reconnect), the cursor means nothing on the new node: the scan starts
   * over, a few times at most, then fails. Never a silently partial result.
   * @throws RedisScanInterruptedError when the connection kept changing.
   */
  async scanKeys(pattern: string, count: number): Promise<string[]> {
    const perNode = await Promise.all(
      this.topology.primaryNodes().map((node) => scanPrimaryKeys(this, pattern, count, this.logger, node)),
    );
    return perNode.flat();
  }

  /** `keys` split into the groups one multi-key command may take (see {@link perKeyGroup}). */
  keyGroups(keys: readonly string[]): string[][] {
    return this.topology.keyGroups(keys).map((positions) => positions.map((position) => keys[position]));
  }

  /**
   * Runs a multi-key command over `keys` in as few calls as the deployment allows (one, or one per
   * cluster slot, in parallel) and returns the per-key results in the order of `keys`.
   * @param run sends one command for a group of keys and answers one result per key.
   */
  async perKeyGroup<T>(keys: readonly string[], run: (group: string[]) => Promise<T[]>): Promise<T[]> {
    const groups = this.topology.keyGroups(keys);
    if (groups.length === 1) return run([...keys]);
    const results = new Array<T>(keys.length);
    await Promise.all(
      groups.map(async (positions) => {
        const answers = await run(positions.map((position) => keys[position]));
        positions.forEach((position, i) => (results[position] = answers[i]));
      }),
    );
    return results;
  }

  /**
   * Whether the primary takes writes now: it answers `ROLE` as master and a `SET` of a short-lived
   * key succeeds. A success closes the circuit. Bounded by the command timeout; never throws.
   */
  probe(): Promise<boolean> {
    this.probing ??= this.probeWrites().finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** Whether the primary answers a `PING` (bounded by the command timeout); leaves the circuit alone. Never throws. */
  ping(): Promise<boolean> {
    return this.connections.write.ping().then(
      () => true,
      () => false,
    );
  }

  private runWrite<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    return this.breaker.isOpen ? this.whileOpen(operation, 'write') : this.onPrimary(operation, 'write');
  }

  private runPrimaryRead<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    return this.breaker.isOpen ? this.whileOpen(operation, 'primary-read') : this.onPrimary(operation, 'primary-read');
  }

  private runRead<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    const replica = this.readGate.replica();
    if (replica !== null) return this.onReplica(operation, replica);
    return this.breaker.isOpen ? this.whileOpen(operation, 'read') : this.onPrimary(operation, 'read');
  }

  private async probeWrites(): Promise<boolean> {
    const takesWrites = await this.topology.takesWrites(this.probeKey, REDIS_DEFAULTS.writeProbeTtlMs);
    if (takesWrites) this.breaker.recordSuccess();
    return takesWrites;
  }

  /** A read on a replica; an availability failure sends it to the primary. */
  private async onReplica<T>(operation: ResilientOperation<T>, replica: RedisClient): Promise<Answer<T>> {
    const started = performance.now();
    this.tracing.noteRole('replica');
    try {
      return { value: await operation.redis(replica), source: 'redis' };
    } catch (error) {
      const failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
      if (!isAvailabilityFailure(failure)) throw failure;
    } finally {
      this.metrics.recordLatency(performance.now() - started, 'read', 'replica');
    }
    return this.breaker.isOpen ? this.whileOpen(operation, 'read') : this.onPrimary(operation, 'read');
  }

  /**
   * Runs on the primary; an availability failure is held (when it may be), or answered from memory
   * (when the operation has a memory answer), or rethrown typed. Every call of the toolkit passes
   * here, so it is one async step without closures.
   */
  private async onPrimary<T>(operation: ResilientOperation<T>, kind: CallKind): Promise<Answer<T>> {
    const started = performance.now();
    this.tracing.noteRole('primary');
    try {
      const value = await operation.redis(operation.primary ?? this.connections.write);
      if (kind === 'write') this.breaker.recordSuccess();
      else this.breaker.recordAnswer();
      return { value, source: 'redis' };
    } catch (error) {
      const failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
      if (kind !== 'read' && isRetriable(failure, operation, kind) && this.canHold()) {
        return await this.hold(operation, failure, started + this.holdMs, kind);
      }
      if (isAvailabilityFailure(failure)) this.breaker.recordFailure();
      return this.degrade(operation, failure, kind);
    } finally {
      this.metrics.recordLatency(performance.now() - started, kind === 'write' ? 'write' : 'read', 'primary');
    }
  }

  /**
   * While the circuit is open: the memory answer, or (when it may be held) a wait for the circuit
   * to close, or a typed failure; Redis is not touched.
   */
  private async whileOpen<T>(operation: ResilientOperation<T>, kind: CallKind): Promise<Answer<T>> {
    const failure = new RedisUnavailableError(
      `${operation.name}: Redis is unavailable (circuit open: the primary does not take writes)`,
    );
    if (kind !== 'read' && !operation.memory && this.canHold()) {
      return this.hold(operation, failure, performance.now() + this.holdMs, kind);
    }
    return this.degrade(operation, failure, kind);
  }

  /**
   * A call that could not reach the primary: wait until the primary connection is ready again
   * (the topology's watch moves it as soon as a new primary is named), or for the circuit to
   * close, and send it again, as long as each failure leaves it safe to, until `deadline`. Then
   * fail or fall back as usual.
   */
  private async hold<T>(
    operation: ResilientOperation<T>,
    first: RedisModuleError,
    deadline: number,
    kind: CallKind,
  ): Promise<Answer<T>> {
    let failure = first;
    // Once a write may have been applied, a later "not sent" does not make it a definite failure.
    let uncertain = kind === 'write' && first instanceof RedisOutcomeUnknownError;
    let pauseMs = RETRY_PAUSE_MS;
    this.metrics.callHeld();
    const endHold = this.tracing.startHold();
    const { closed } = this.connections;
    while (!closed.aborted && this.canHold()) {
      const client = operation.primary ?? this.connections.write;
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      if (this.breaker.isOpen) {
        // Memory answers at once while the circuit is open; without one, wait for it to close.
        if (operation.memory || !(await this.untilCircuitCloses(remaining))) break;
      } else if (client.status !== 'ready') {
        if (!(await waitForReady(client, remaining, closed))) break;
      } else if (!(failure instanceof RedisOutcomeUnknownError)) {
        // Refused (NOREPLICAS, READONLY…) or about to reconnect: back off, the node may need seconds.
        await sleep(Math.min(pauseMs, remaining));
        pauseMs = Math.min(pauseMs * 2, REDIS_DEFAULTS.maxRetryPauseMs);
      }
      try {
        const value = await operation.redis(operation.primary ?? this.connections.write);
        if (kind === 'write') this.breaker.recordSuccess();
        endHold?.('sent');
        return { value, source: 'redis' };
      } catch (error) {
        failure = this.counted(toRedisModuleError(error, operation.name, this.connections.redactor));
        uncertain ||= kind === 'write' && failure instanceof RedisOutcomeUnknownError;
        if (!isRetriable(failure, operation, kind)) break;
      }
    }
    endHold?.('gave-up');
    if (uncertain && !(failure instanceof RedisOutcomeUnknownError)) {
      failure = new RedisOutcomeUnknownError(
        `${operation.name}: an earlier attempt got no answer, so it may have been applied; the last one failed: ${failure.message}`,
      );
    }
    if (isAvailabilityFailure(failure)) this.breaker.recordFailure();
    return this.degrade(operation, failure, kind);
  }

  /**
   * Whether holding a call can help: a hold is configured, and a failover could name a new primary
   * now (a sentinel answers).
   */
  private canHold(): boolean {
    return this.holdMs > 0 && this.topology.failoverPossible();
  }

  /** Resolves true when the circuit closes within `timeoutMs`, false otherwise or at shutdown. */
  private untilCircuitCloses(timeoutMs: number): Promise<boolean> {
    const { closed } = this.connections;
    if (closed.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onClose = (): void => finish(true);
      const onGiveUp = (): void => finish(false);
      const timer = setTimeout(onGiveUp, timeoutMs);
      const finish = (result: boolean): void => {
        clearTimeout(timer);
        this.closeWaiters.delete(onClose);
        closed.removeEventListener('abort', onGiveUp);
        resolve(result);
      };
      this.closeWaiters.add(onClose);
      closed.addEventListener('abort', onGiveUp, { once: true });
    });
  }

  /** The memory answer when the failure and the operation allow one; otherwise the failure. */
  private degrade<T>(operation: ResilientOperation<T>, failure: RedisModuleError, kind: CallKind): Answer<T> {
    if (!operation.memory || !isAvailabilityFailure(failure)) throw failure;
    if (kind === 'write' && failure instanceof RedisOutcomeUnknownError && !operation.memoryAfterUnknown) throw failure;
    const value = operation.memory(this.memory.of(operation.memoryNamespace ?? 'cache'), failure);
    this.metrics.fallbackAnswered();
    return { value, source: 'memory' };
  }

  private counted(failure: RedisModuleError): RedisModuleError {
    this.metrics.recordError(failure.code);
    return failure;
  }

  private onCircuitChange(state: CircuitState): void {
    this.openedAt = state === 'open' ? new Date() : null;
    if (state === 'open') {
      this.logger.warn(
        logEvent(
          'redis.degraded',
          { fallback: this.options.fallback.enabled },
          this.options.fallback.enabled
            ? 'Redis cannot take writes: serving from the in-memory fallback where allowed (degraded)'
            : 'Redis cannot take writes: calls fail fast (or wait out a failover) until it can (fallback disabled)',
        ),
      );
      clearInterval(this.probeTimer);
      this.probeTimer = setInterval(() => void this.probe(), this.options.circuit.probeIntervalMs);
      this.probeTimer.unref();
    } else {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.memory.clear();
      for (const waiter of [...this.closeWaiters]) waiter();
      this.logger.log(logEvent('redis.recovered', {}, 'Redis takes writes again: back from the in-memory fallback'));
    }
  }
}

/** Whether sending `operation` again after `failure` cannot apply it twice. */
function isRetriable(failure: RedisModuleError, operation: ResilientOperation<unknown>, kind: CallKind): boolean {
  if (failure instanceof RedisUnavailableError) return true;
  if (failure instanceof RedisOutcomeUnknownError) return kind !== 'write' || operation.idempotent === true;
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

/** How a call the executor answered ended, for its span. */
function outcome(answer: Answer<unknown>): TracedOutcome {
  return answer.source === 'memory' ? 'memory' : 'ok';
}
