import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedisMetrics, RedisUnavailableError } from '@sentinel-kit/redis';
import { sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { type RedisTestApp } from './redis-test-app';
import { inRequest } from './traced-request';
import { COMMAND_TIMEOUT_MS, DOWN_AFTER_MS, SLACK_MS, WRITE_HOLD_MS, useSentinelGroup } from './sentinel-group-suite';

/**
 * The write hold through real failovers (SIGKILL, SIGSTOP, events lost, shutdown during a hold):
 * the mechanics of waiting out a failover, which do not depend on the protocol spoken.
 */
describe('RedisModule holding writes through Sentinel failovers', () => {
  const suite = useSentinelGroup();

  it('follows two SIGKILL failovers, counting each once, with the right from/to', async () => {
    const { cache, status } = await suite.start({ fallback: { enabled: false } });
    for (const round of [1, 2]) {
      const old = await suite.topology.primary();
      await cache.set(`round${round}:before`, 'v');
      const killedAt = performance.now();
      await old.kill();
      const outage = await timed(() =>
        waitFor(() => cache.set(`round${round}:after`, 'v').then(() => true), {
          description: 'writes to succeed on a new primary',
          timeoutMs: DOWN_AFTER_MS + 3000,
          intervalMs: 20,
        }),
      );
      expect(outage.error).toBeUndefined();
      reportMeasure(
        `write outage after SIGKILL of the primary (round ${round}, down-after ${DOWN_AFTER_MS})`,
        performance.now() - killedAt,
      );
      const next = await suite.topology.waitForNewPrimary(old.port);
      expect(await sendCommand(next.endpoint, 'GET', [`app:round${round}:after`])).toBe('v');

      await waitFor(() => status.getStatus().sentinel?.failoverCount === round, {
        description: `failover count ${round}`,
      });
      await sleep(1500); // late reports from the other sentinels must not count again
      const sentinel = status.getStatus().sentinel!;
      expect(sentinel.failoverCount).toBe(round);
      expect(sentinel.currentMaster).toEqual({ host: next.host, port: next.port });
      expect(sentinel.history.at(-1)).toMatchObject({
        from: { host: old.host, port: old.port },
        to: { host: next.host, port: next.port },
      });
      expect(Date.parse(sentinel.lastFailover!)).toBeGreaterThan(Date.now() - 30_000);
      // The switch came with the +sdown/+odown events, so the subscriptions work and the duration is known.
      expect(sentinel.history.at(-1)!.durationMs).toBeGreaterThan(0);
      reportMeasure(`failover duration seen by the tracker (round ${round})`, sentinel.history.at(-1)!.durationMs!);
      await suite.heal();
    }
  });

  it('holds writes through a SIGKILL failover and sends them to the new primary as soon as it is named', async () => {
    // Traced too (an OpenTelemetry SDK with the in-memory exporter): the hold and the failover.
    const spans = new InMemorySpanExporter();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    const held = await suite.start({ fallback: { enabled: false } });
    const failFast = await suite.start({
      fallback: { enabled: false },
      sentinel: suite.sentinelOptions({ writeHoldMs: 0 }),
    });
    const results = { held: { ok: 0, failed: 0 }, failFast: { ok: 0, failed: 0 } };
    let running = true;
    let firstHeldAfterKill = Infinity;
    let killedAt = Infinity;
    const writer = async (name: 'held' | 'failFast', app: RedisTestApp, w: number) => {
      for (let n = 0; running; n += 1) {
        const started = performance.now();
        try {
          await inRequest(() => app.cache.set(`hold:${name}:${w}:${n}`, 'v'));
          results[name].ok += 1;
          if (name === 'held' && started > killedAt)
            firstHeldAfterKill = Math.min(firstHeldAfterKill, performance.now());
        } catch {
          results[name].failed += 1;
          await sleep(5);
        }
      }
    };
    let switchedAt = Infinity;
    const switches = held.status.failovers$.subscribe(() => (switchedAt = Math.min(switchedAt, performance.now())));
    const writers = [0, 1, 2, 3].flatMap((w) => [writer('held', held, w), writer('failFast', failFast, w)]);
    await sleep(500);
    const old = await suite.topology.primary();
    await old.kill();
    killedAt = performance.now();
    await suite.topology.waitForNewPrimary(old.port);
    await waitFor(() => switchedAt < Infinity && firstHeldAfterKill < Infinity, {
      description: 'the switch and a held write to succeed',
    });
    switches.unsubscribe();
    await sleep(500);
    running = false;
    await Promise.all(writers);

    expect(results.held.failed).toBe(0);
    expect(results.held.ok).toBeGreaterThan(100);
    // Without the hold, the same outage fails writes.
    expect(results.failFast.failed).toBeGreaterThan(0);
    reportMeasure('first held write after the kill', firstHeldAfterKill - killedAt);
    // Generous: the module answers the switch at once; the bench measures how close to it.
    expect(firstHeldAfterKill - switchedAt).toBeLessThan(1000);

    const finished = spans.getFinishedSpans();
    trace.disable();
    context.disable();
    const byId = new Map(finished.map((span) => [span.spanContext().spanId, span]));
    const holds = finished.filter((span) => span.name === 'redis write hold');
    expect(holds.some((hold) => hold.attributes['sentinel_kit.hold_outcome'] === 'sent')).toBe(true);
    expect(new Set(holds.map((hold) => byId.get(hold.parentSpanContext?.spanId ?? '')?.name))).toEqual(
      new Set(['redis set']),
    );
    // One per application that counted it (two here), each from the first sign of trouble to the switch.
    const failovers = finished.filter((span) => span.name === 'redis failover');
    expect(failovers).toHaveLength(2);
    for (const failover of failovers) {
      expect(failover.attributes['sentinel_kit.failover.from']).toBe(`${old.host}:${old.port}`);
    }
  });

  it('fails a held write as soon as the application shuts down, instead of holding it to the deadline', async () => {
    const app = await suite.start({
      fallback: { enabled: false },
      sentinel: suite.sentinelOptions({ writeHoldMs: 30_000 }),
    });
    const old = await suite.topology.primary();
    await old.kill();
    const write = app.cache.set('hold:shutdown', 'v').then(
      () => 'written',
      (error: unknown) => error,
    );
    // Well before the failover (down-after is 2 s): the write is waiting for a primary.
    const heldWrites = async () =>
      (await app.app.get(RedisMetrics).registry.getSingleMetric('redis_held_writes_total')?.get())?.values[0]?.value;
    await waitFor(async () => (await heldWrites()) === 1, { description: 'the write to be held' });
    const { value, ms } = await timed(async () => {
      await suite.close(app);
      return write;
    });

    expect(value).toBeInstanceOf(RedisUnavailableError);
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
  });

  it('notices a failover by polling when the sentinel events are lost', async () => {
    const password = 'watcher-secret-3';
    const acl = (...rules: string[]) =>
      Promise.all(
        suite.topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['SETUSER', 'watcher', ...rules])),
      );
    await acl('on', `>${password}`, '+@all', '&*');
    try {
      const { cache, status } = await suite.start({
        sentinel: suite.sentinelOptions({ username: 'watcher', password }),
        fallback: { enabled: false },
      });
      // Cut the event subscriptions for good: they cannot come back without SUBSCRIBE.
      await acl('-subscribe');
      await Promise.all(
        suite.topology.sentinels.map((s) => sendCommand(s.endpoint, 'CLIENT', ['KILL', 'TYPE', 'pubsub'])),
      );

      const old = await suite.topology.primary();
      await old.kill();
      const next = await suite.topology.waitForNewPrimary(old.port);
      await waitFor(() => cache.set('after-poll', 'v').then(() => true), {
        description: 'writes to reach the new primary',
        timeoutMs: 10_000,
      });
      expect(await sendCommand(next.endpoint, 'GET', ['app:after-poll'])).toBe('v');
      await waitFor(() => status.getStatus().sentinel?.failoverCount === 1, { description: 'the polled failover' });
      expect(status.getStatus().sentinel?.history.at(-1)).toMatchObject({
        source: 'poll',
        from: { host: old.host, port: old.port },
        to: { host: next.host, port: next.port },
      });
    } finally {
      await Promise.all(suite.topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['DELUSER', 'watcher'])));
    }
  });

  it('loses no acknowledged write when the primary hangs (SIGSTOP), fails over and comes back (SIGCONT)', async () => {
    const { cache, status } = await suite.start({
      fallback: { enabled: false },
      sentinel: suite.sentinelOptions({ writeHoldMs: WRITE_HOLD_MS }),
    });
    const old = await suite.topology.primary();
    const acknowledged: string[] = [];
    const latencies: number[] = [];
    let writing = true;
    const writer = async (id: number) => {
      for (let i = 0; writing; i += 1) {
        const key = `w${id}:${i}`;
        const attempt = await timed(() => cache.set(key, String(i)));
        latencies.push(attempt.ms);
        if (attempt.error === undefined) acknowledged.push(key);
        else await sleep(10);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await sleep(500);
    const ackedBeforePause = acknowledged.length;
    old.pause();
    const pausedAt = performance.now();
    await suite.topology.waitForNewPrimary(old.port);
    const ackedAtSwitch = acknowledged.length;
    await sleep(Math.max(0, 8000 - (performance.now() - pausedAt)));
    old.resume();
    await sleep(3000);
    writing = false;
    await Promise.all(writers);

    expect(ackedBeforePause).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(ackedAtSwitch); // the client followed the failover
    // A timed-out write is held for the switch, never longer than the hold and one more try.
    const slowest = latencies.reduce((a, b) => Math.max(a, b), 0);
    expect(slowest).toBeLessThan(WRITE_HOLD_MS + COMMAND_TIMEOUT_MS + SLACK_MS);
    reportMeasure(`slowest of ${latencies.length} calls during the SIGSTOP run`, slowest);
    expect(status.getStatus().sentinel?.failoverCount).toBe(1);

    await suite.topology.waitUntilSettled(2);
    const primary = await suite.topology.primary();
    expect(((await sendCommand(old.endpoint, 'ROLE')) as string[])[0]).toBe('slave');
    const missing: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 500) {
      const keys = acknowledged.slice(i, i + 500);
      const values = (await sendCommand(
        primary.endpoint,
        'MGET',
        keys.map((k) => `app:${k}`),
      )) as (string | null)[];
      keys.forEach((key, j) => values[j] === null && missing.push(key));
    }
    expect({ acknowledged: acknowledged.length, missing }).toEqual({ acknowledged: acknowledged.length, missing: [] });
  });
});
