import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { RedisCommandRejectedError, RedisOutcomeUnknownError, type RedisModuleOptions } from '@sentinel-kit/redis';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import { tracingChannel } from 'node:diagnostics_channel';
import { standaloneOptions, startRedisModule, type RedisTestApp } from './redis-test-app';
import { inRequest } from './traced-request';

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

  const start = async (extra: Partial<RedisModuleOptions> = {}) => {
    running = await startRedisModule(standaloneOptions(server.port, { fallback: { enabled: true }, ...extra }));
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

  // Outside a trace, or with no SDK at all, no span is made, as OpenTelemetry's ioredis
  // instrumentation does; nor does ioredis describe the commands of these calls to anyone.
  it.each([
    ['while no SDK is registered', false],
    ['for a call outside any trace', true],
  ])('makes no span and subscribes to nothing %s', async (_when, withSdk) => {
    if (withSdk) register();
    const { cache } = await start();
    await cache.set('untraced', 'v');
    expect(await cache.get('untraced')).toBe('v');
    expect(tracingChannel('ioredis:command').hasSubscribers).toBe(false);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('traces each call with its class, mode, role and outcome, and the Redis commands below it, without values', async () => {
    register();
    const { cache } = await start();
    await inRequest(async () => {
      await cache.set('traced', 'hunter2-value');
      expect(await cache.get('traced')).toBe('hunter2-value');
    });

    const [request] = named(exporter, 'request');
    expect(request.attributes).toEqual({});
    const [set] = named(exporter, 'redis set');
    expect(set.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
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
      await inRequest(() => own.get('app:traced'));
    } finally {
      own.disconnect();
    }
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      'SET',
      'redis set',
      'GET',
      'redis get',
      'request',
      'request',
    ]);
  });

  it('says failed, unknown or memory when Redis refused, did not answer, or memory answered', async () => {
    register();
    const { cache, status } = await start();
    await sendCommand(server.endpoint, 'RPUSH', ['app:a-list', 'x']);
    await expect(inRequest(() => cache.get('a-list'))).rejects.toBeInstanceOf(RedisCommandRejectedError);
    const [refused] = named(exporter, 'redis get');
    expect(refused.attributes['sentinel_kit.outcome']).toBe('failed');
    expect(refused.status).toEqual({ code: SpanStatusCode.ERROR, message: 'REDIS_COMMAND_REJECTED' });
    expect(childrenOf(exporter, refused)[0].status.code).toBe(SpanStatusCode.ERROR);

    server.pause();
    await expect(inRequest(() => cache.set('paused', 'v'))).rejects.toBeInstanceOf(RedisOutcomeUnknownError);
    server.resume();
    expect(named(exporter, 'redis set')[0].attributes['sentinel_kit.outcome']).toBe('unknown');

    await server.kill();
    // Sent before the client saw the socket close, a write's outcome would be unknown (never memory).
    await waitFor(() => !status.getStatus().connected, { description: 'the client to notice the closed socket' });
    await inRequest(() => cache.set('in-memory', 'v'));
    expect(named(exporter, 'redis set').at(-1)!.attributes['sentinel_kit.outcome']).toBe('memory');
  });

  it('stops listening again after an SDK went away while a traced command was open', async () => {
    register();
    // A command timeout past the next look for the SDK (every second): the SDK goes away first.
    const { cache } = await start({ commandTimeoutMs: 4000 });
    const commands = tracingChannel('ioredis:command');
    /** Traced reads until the module noticed the SDK (it looks every second) and listens to ioredis. */
    const untilListening = (description: string) =>
      waitFor(
        async () => {
          await inRequest(() => cache.get('probe'));
          return commands.hasSubscribers;
        },
        { description, timeoutMs: 5000 },
      );
    await untilListening('the tracing to notice the SDK');
    server.pause();
    const sent = new Promise<void>((resolve) => {
      const onStart = () => {
        commands.start.unsubscribe(onStart);
        resolve();
      };
      commands.start.subscribe(onStart);
    });
    const open = inRequest(() => cache.set('open', 'v')).catch((error: unknown) => error);
    await sent; // its command span is open
    trace.disable();
    context.disable();
    await waitFor(() => !commands.hasSubscribers, { description: 'the tracing to switch off', timeoutMs: 5000 });
    server.resume();
    expect(await open).toBeUndefined(); // answered once resumed, its end unseen by the tracing
    register();
    await untilListening('the tracing to notice the SDK again');
    // The command left open when the SDK went away does not keep it listening.
    await waitFor(() => !commands.hasSubscribers, { description: 'the tracing to stop listening', timeoutMs: 5000 });
  });

  it('turns on within a second of an SDK being registered, and listens to ioredis only while it traces calls', async () => {
    const { cache } = await start();
    register();
    const commands = tracingChannel('ioredis:command');
    await waitFor(
      async () => {
        await inRequest(() => cache.set('late', 'v'));
        return named(exporter, 'redis set').length > 0;
      },
      { description: 'the tracing to notice the SDK', timeoutMs: 5000 },
    );
    expect(commands.hasSubscribers).toBe(true);
    // A check (every second) that finds no traced call since the last one stops listening...
    await waitFor(() => !commands.hasSubscribers, { description: 'the tracing to stop listening', timeoutMs: 5000 });
    // ...and the next traced call listens again before its commands are sent.
    await inRequest(() => cache.set('again', 'v'));
    const again = named(exporter, 'redis set').at(-1)!;
    expect(childrenOf(exporter, again).map((span) => span.name)).toEqual(['SET']);
  });
});
