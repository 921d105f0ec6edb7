import { trace } from '@opentelemetry/api';

/**
 * Runs `work` inside a `request` span, as a traced HTTP request or job would: the module traces
 * only the calls made inside a trace.
 */
export const inRequest = <T>(work: () => Promise<T>): Promise<T> =>
  trace.getTracer('test').startActiveSpan('request', async (span) => {
    try {
      return await work();
    } finally {
      span.end();
    }
  });
