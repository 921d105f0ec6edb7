import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import { tracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSuite, ThroughputComparison } from '../scenario';
import { startCacheApp } from './cache.bench';

const KEYS = 10_000;
const VALUE = 'x'.repeat(100);

/** An exporter that drops every span: what is measured is the tracing, not the shipping. */
const DROPPING_EXPORTER: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
};

const COMMANDS = tracingChannel('ioredis:command');

/**
 * `RedisCacheService.get` with OpenTelemetry tracing on (an SDK as deployed: a batch span processor,
 * an `AsyncLocalStorage` context manager, an exporter that drops the spans) against the same with no
 * SDK registered, at concurrency 1 and 50: called outside any trace (no span is made: what tracing
 * costs the calls it does not trace), and inside a `request` span of its own (the request's span,
 * the call's and its command's, against the same code with the API's no-op tracer). Each contender
 * registers or removes the SDK before its rounds.
 */
export async function tracingSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const { app, cache } = await startCacheApp(endpoint);
  for (let i = 0; i < KEYS; i += 1) await cache.set(`trace:${i}`, VALUE);
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(DROPPING_EXPORTER)] });
  const contextManager = new AsyncLocalStorageContextManager();
  const get = (i: number) => cache.get(`trace:${i % KEYS}`);
  const tracer = trace.getTracer('bench');
  const getInRequest = (i: number) => tracer.startActiveSpan('request', (span) => get(i).finally(() => span.end()));
  // The module looks for an SDK every second; a traced call makes it listen to ioredis' channel.
  const on = async () => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
    while (!COMMANDS.hasSubscribers) await Promise.all([getInRequest(0), sleep(20)]);
  };
  // On, with no traced call for a while: it stops listening within two seconds.
  const onUntraced = async () => {
    await on();
    while (COMMANDS.hasSubscribers) await sleep(20);
  };
  const off = async () => {
    trace.disable();
    context.disable();
    while (COMMANDS.hasSubscribers) await sleep(20);
  };
  const comparisons = [1, 50].flatMap((concurrency): ThroughputComparison[] => [
    {
      name: `cache get outside a trace, tracing on, concurrency ${concurrency}`,
      concurrency,
      ours: { name: 'tracing on (SDK, spans dropped)', operation: get, enter: onUntraced },
      peers: [{ name: 'tracing off (no SDK)', operation: get, enter: off }],
    },
    {
      name: `cache get in a traced request, concurrency ${concurrency}`,
      concurrency,
      ours: { name: 'tracing on (SDK, spans dropped)', operation: getInRequest, enter: on },
      peers: [{ name: 'tracing off (no SDK)', operation: getInRequest, enter: off }],
    },
  ]);
  return {
    comparisons,
    close: async () => {
      await off();
      await provider.shutdown();
      await app.close();
    },
  };
}
