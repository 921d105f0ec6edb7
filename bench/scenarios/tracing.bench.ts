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

/** Waits until the module's tracing is `on` or off (it looks for an SDK every second). */
async function tracingIs(on: boolean): Promise<void> {
  const commands = tracingChannel('ioredis:command');
  while (commands.hasSubscribers !== on) await sleep(20);
}

/**
 * `RedisCacheService.get` with OpenTelemetry tracing on (an SDK as deployed: a batch span processor,
 * an `AsyncLocalStorage` context manager, an exporter that drops the spans) against the same with no
 * SDK registered, at concurrency 1 and 50. Each contender registers or removes the SDK before its
 * rounds.
 */
export async function tracingSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const { app, cache } = await startCacheApp(endpoint);
  for (let i = 0; i < KEYS; i += 1) await cache.set(`trace:${i}`, VALUE);
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(DROPPING_EXPORTER)] });
  const contextManager = new AsyncLocalStorageContextManager();
  const on = async () => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
    await tracingIs(true);
  };
  const off = async () => {
    trace.disable();
    context.disable();
    await tracingIs(false);
  };
  const get = (i: number) => cache.get(`trace:${i % KEYS}`);
  const comparisons = [1, 50].map((concurrency): ThroughputComparison => ({
    name: `cache get, tracing on, concurrency ${concurrency}`,
    concurrency,
    ours: { name: 'tracing on (SDK, spans dropped)', operation: get, enter: on },
    peers: [{ name: 'tracing off (no SDK)', operation: get, enter: off }],
  }));
  return {
    comparisons,
    close: async () => {
      await off();
      await provider.shutdown();
      await app.close();
    },
  };
}
