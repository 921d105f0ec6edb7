import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { tracingChannel } from 'node:diagnostics_channel';
import type * as OpenTelemetry from '@opentelemetry/api';
import { RedisModuleError } from '../errors/redis-module.error';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** How a traced call ended: answered by Redis, failed, outcome unknown, or answered from memory. */
export type TracedOutcome = 'ok' | 'failed' | 'unknown' | 'memory';

/** What ioredis publishes on `ioredis:command` (see ioredis' tracing.js). */
interface IoredisCommandMessage {
  command: string;
  database: number;
  serverAddress: string;
  serverPort: number | undefined;
}

/** A counted failover (a `FailoverRecord`). */
export interface CountedFailover {
  at: Date;
  from: { host: string; port: number } | null;
  to: { host: string; port: number };
  durationMs: number | null;
  source: string;
  shard: string | null;
}

type Api = typeof OpenTelemetry;

/** How often it looks again whether an OpenTelemetry SDK was registered or removed. */
const PROVIDER_CHECK_MS = 1000;
const IOREDIS_COMMANDS = tracingChannel('ioredis:command');

/** `@opentelemetry/api` when the application installed it (an optional peer); null otherwise. */
function loadOpenTelemetry(): Api | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@opentelemetry/api') as Api;
  } catch {
    return null;
  }
}

/**
 * OpenTelemetry spans for the toolkit's Redis calls, through `@opentelemetry/api` only (an optional
 * peer dependency): on while an SDK is registered, and then
 * - a `redis <operation>` client span per call of the executor made inside a recording span (a
 *   traced request, a traced job), with `sentinel_kit.command_class` (read, write),
 *   `sentinel_kit.mode`, `sentinel_kit.node_role` (primary, replica) and `sentinel_kit.outcome`
 *   (ok, failed, unknown, memory). A call outside any trace makes no span, as OpenTelemetry's own
 *   ioredis instrumentation does by default (`requireParentSpan`): a trace of one Redis call says
 *   nothing, and a span costs more CPU than a cache read;
 * - below it, a span per Redis command the call sent, from ioredis' `ioredis:command` tracing
 *   channel (only those of our calls: the application's own ioredis clients are left to it);
 * - below it too, a `redis write hold` span while the call waits out a failover;
 * - a `redis failover` span per failover this module counted, from its first sign of trouble to
 *   the switch.
 *
 * Off (no SDK, or the API not installed) it costs one boolean read per call: nothing subscribes to
 * ioredis' channel and no span is made. Whether an SDK is registered is checked every second.
 * On, it listens to ioredis' channel only from the first traced call until a check finds no traced
 * call since the last one and none of their commands open: a subscriber makes ioredis describe
 * every command it sends, traced or not.
 */
@Injectable()
export class RedisTracing implements OnModuleInit, OnApplicationShutdown {
  private readonly api = loadOpenTelemetry();
  private readonly noopProvider = this.api && new this.api.ProxyTracerProvider().getDelegate();
  private tracer: OpenTelemetry.Tracer | null = null;
  private checkTimer?: NodeJS.Timeout;
  /** The spans of our calls: ioredis commands are traced below these only. */
  private readonly callSpans = new WeakSet<OpenTelemetry.Span>();
  private readonly commandSpans = new WeakMap<object, OpenTelemetry.Span>();
  private readonly commandHandlers = {
    start: (message: unknown) => this.commandStarted(message as IoredisCommandMessage),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (message: unknown) => this.commandEnded(message as object),
    error: (message: unknown) => this.commandFailed(message as object & { error?: unknown }),
  };
  private listening = false;
  private tracedSinceCheck = false;
  private tracedCallsRunning = 0;
  private openCommandSpans = 0;

  constructor(@Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions) {}

  /** Whether spans are made now (an SDK is registered). */
  get enabled(): boolean {
    return this.tracer !== null;
  }

  onModuleInit(): void {
    if (!this.api) return;
    this.checkProvider();
    this.checkTimer = setInterval(() => this.checkProvider(), PROVIDER_CHECK_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.checkTimer);
    this.switchOff();
  }

  /**
   * Runs `call` in a `redis <name>` span when a recording span is active (see the class), else
   * just runs it. Call it only while {@link enabled}.
   * @param outcomeOf tells a memory answer from a Redis one.
   */
  traceCall<T>(
    name: string,
    commandClass: 'read' | 'write',
    call: () => Promise<T>,
    outcomeOf: (result: T) => TracedOutcome,
  ): Promise<T> {
    if (!this.api!.trace.getActiveSpan()?.isRecording()) return call();
    return this.runInSpan(name, commandClass, call, outcomeOf);
  }

  private async runInSpan<T>(
    name: string,
    commandClass: 'read' | 'write',
    call: () => Promise<T>,
    outcomeOf: (result: T) => TracedOutcome,
  ): Promise<T> {
    const api = this.api!;
    this.tracedSinceCheck = true;
    this.tracedCallsRunning += 1;
    if (!this.listening) this.listen(true);
    const span = this.tracer!.startSpan(`redis ${name}`, {
      kind: api.SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'redis',
        'db.operation.name': name,
        'sentinel_kit.command_class': commandClass,
        'sentinel_kit.mode': this.options.mode,
      },
    });
    this.callSpans.add(span);
    try {
      const result = await api.context.with(api.trace.setSpan(api.context.active(), span), call);
      span.setAttribute('sentinel_kit.outcome', outcomeOf(result));
      return result;
    } catch (error) {
      const unknown = error instanceof RedisOutcomeUnknownError;
      span.setAttribute('sentinel_kit.outcome', unknown ? 'unknown' : 'failed');
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: error instanceof RedisModuleError ? error.code : 'error',
      });
      throw error;
    } finally {
      span.end();
      this.tracedCallsRunning -= 1;
    }
  }

  /** Notes on the current call's span where it ran. No-op when off or outside a traced call. */
  noteRole(role: 'primary' | 'replica'): void {
    this.activeCallSpan()?.setAttribute('sentinel_kit.node_role', role);
  }

  /**
   * Starts a `redis write hold` span below the current call's; returns how to end it (with the
   * outcome), or null when off or outside a traced call.
   */
  startHold(): ((outcome: 'sent' | 'gave-up') => void) | null {
    if (!this.tracer || !this.activeCallSpan()) return null;
    const span = this.tracer.startSpan('redis write hold', { attributes: { 'sentinel_kit.mode': this.options.mode } });
    return (outcome) => {
      span.setAttribute('sentinel_kit.hold_outcome', outcome);
      span.end();
    };
  }

  /** The span of the executor call running now, if it is traced. */
  private activeCallSpan(): OpenTelemetry.Span | undefined {
    // No traced call running (the common case outside traces): no context lookup on every call.
    if (!this.tracer || this.tracedCallsRunning === 0) return undefined;
    const span = this.api!.trace.getActiveSpan();
    return span && this.callSpans.has(span) ? span : undefined;
  }

  private checkProvider(): void {
    const api = this.api!;
    const registered = api.trace.getTracerProvider();
    const delegate = registered instanceof api.ProxyTracerProvider ? registered.getDelegate() : registered;
    if (delegate === this.noopProvider) this.switchOff();
    else if (!this.tracer) this.tracer = api.trace.getTracer('@sentinel-kit/redis');
    else if (!this.tracedSinceCheck && this.tracedCallsRunning === 0 && this.openCommandSpans === 0) this.listen(false);
    this.tracedSinceCheck = false;
  }

  private switchOff(): void {
    this.tracer = null;
    this.listen(false);
    // Unsubscribed, the commands still open will not report their end: their spans are dropped.
    this.openCommandSpans = 0;
  }

  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) IOREDIS_COMMANDS.subscribe(this.commandHandlers);
    else IOREDIS_COMMANDS.unsubscribe(this.commandHandlers);
  }

  /** An ioredis command sent inside one of our calls: a child span of the call's. */
  private commandStarted(message: IoredisCommandMessage): void {
    const api = this.api!;
    if (!this.activeCallSpan()?.isRecording()) return;
    const span = this.tracer!.startSpan(message.command.toUpperCase(), {
      kind: api.SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'redis',
        'db.operation.name': message.command.toUpperCase(),
        'db.namespace': String(message.database),
      },
    });
    this.commandSpans.set(message, span);
    this.openCommandSpans += 1;
  }

  private commandEnded(message: object): void {
    const span = this.commandSpans.get(message);
    if (!span) return;
    span.end();
    this.openCommandSpans -= 1;
  }

  /** The command's error reply or failure; its text is not recorded (it may quote arguments). */
  private commandFailed(message: object & { error?: unknown }): void {
    const span = this.commandSpans.get(message);
    if (!span) return;
    const { error } = message;
    span.setStatus({
      code: this.api!.SpanStatusCode.ERROR,
      message: error instanceof Error ? error.name : 'error',
    });
  }

  /** A `redis failover` span from the first sign of trouble (when known) to the switch. No-op when off. */
  failoverCounted(failover: CountedFailover): void {
    if (!this.tracer) return;
    const end = failover.at.getTime();
    const span = this.tracer.startSpan('redis failover', {
      startTime: end - (failover.durationMs ?? 0),
      attributes: {
        'sentinel_kit.mode': this.options.mode,
        'sentinel_kit.failover.from': failover.from ? `${failover.from.host}:${failover.from.port}` : '',
        'sentinel_kit.failover.to': `${failover.to.host}:${failover.to.port}`,
        'sentinel_kit.failover.learnt_by': failover.source,
        ...(failover.shard ? { 'sentinel_kit.failover.shard': failover.shard } : {}),
      },
    });
    span.addEvent('new primary named', end);
    span.end(end);
  }
}
