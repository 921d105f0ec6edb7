import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { RedisCommandRejectedError, RedisOutcomeUnknownError } from '@sentinel-kit/redis';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import { tracingChannel } from 'node:diagnostics_channel';
import { standaloneOptions, startRedisModule, type RedisTestApp } from './redis-test-app';

/** The exported spans named `name`, oldest first. */
const named = (exporter: InMemorySpanExporter, name: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.name === name);

/** The spans whose parent is `parent`. */
const childrenOf = (exporter: InMemorySpanExporter, parent: ReadableSpan): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('OpenTelemetry spans (an SDK with the in-memory exporter) over a real redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let running: RedisTestApp | undefined;
  const exporter = new InMemorySpanExporter();

  const start = async () => {
    running = await startRedisModule(standaloneOptions(server.port, { fallback: { enabled: true } }));
    return running;
  };
  const register = () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  };

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    trace.disable();
    context.disable();
    exporter.reset();
    if (!server.running) await server.start();
  });
  afterAll(async () => dispose?.());

  it('makes no span and subscribes to nothing while no SDK is registered', async () => {
    const { cache } = await start();
    await cache.set('off', 'v');
    expect(await cache.get('off')).toBe('v');
    expect(tracingChannel('ioredis:command').hasSubscribers).toBe(false);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('traces each call with its class, mode, role and outcome, and the Redis commands below it, without values', async () => {
    register();
    const { cache } = await start();
    await cache.set('traced', 'hunter2-value');
    expect(await cache.get('traced')).toBe('hunter2-value');

    const [set] = named(exporter, 'redis set');
    expect(set.attributes).toMatchObject({
      'db.system.name': 'redis',
      'sentinel_kit.command_class': 'write',
      'sentinel_kit.mode': 'standalone',
      'sentinel_kit.node_role': 'primary',
      'sentinel_kit.outcome': 'ok',
    });
    expect(childrenOf(exporter, set).map((span) => span.name)).toEqual(['SET']);
    const [get] = named(exporter, 'redis get');
    expect(get.attributes).toMatchObject({ 'sentinel_kit.command_class': 'read', 'sentinel_kit.outcome': 'ok' });
    expect(childrenOf(exporter, get).map((span) => span.name)).toEqual(['GET']);
    expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain('hunter2');

    // The application's own ioredis clients are its instrumentation's business, not ours.
    const own = new Redis({ host: server.host, port: server.port });
    try {
      await own.get('app:traced');
    } finally {
      own.disconnect();
    }
    expect(exporter.getFinishedSpans()).toHaveLength(4);
  });

  it('says failed, unknown or memory when Redis refused, did not answer, or memory answered', async () => {
    register();
    const { cache, status } = await start();
    await sendCommand(server.endpoint, 'RPUSH', ['app:a-list', 'x']);
    await expect(cache.get('a-list')).rejects.toBeInstanceOf(RedisCommandRejectedError);
    const [refused] = named(exporter, 'redis get');
    expect(refused.attributes['sentinel_kit.outcome']).toBe('failed');
    expect(refused.status).toEqual({ code: SpanStatusCode.ERROR, message: 'REDIS_COMMAND_REJECTED' });
    expect(childrenOf(exporter, refused)[0].status.code).toBe(SpanStatusCode.ERROR);

    server.pause();
    await expect(cache.set('paused', 'v')).rejects.toBeInstanceOf(RedisOutcomeUnknownError);
    server.resume();
    expect(named(exporter, 'redis set')[0].attributes['sentinel_kit.outcome']).toBe('unknown');

    await server.kill();
    // Sent before the client saw the socket close, a write's outcome would be unknown (never memory).
    await waitFor(() => !status.getStatus().connected, { description: 'the client to notice the closed socket' });
    await cache.set('in-memory', 'v');
    expect(named(exporter, 'redis set').at(-1)!.attributes['sentinel_kit.outcome']).toBe('memory');
  });

  it('turns on within a second of an SDK being registered after startup', async () => {
    const { cache } = await start();
    register();
    await waitFor(() => tracingChannel('ioredis:command').hasSubscribers, {
      description: 'the tracing to notice the SDK',
    });
    await cache.set('late', 'v');
    expect(named(exporter, 'redis set')).toHaveLength(1);
  });
});
