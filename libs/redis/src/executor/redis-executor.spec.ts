import { EventEmitter } from 'node:events';
import type { RedisClient } from '../client/redis-client';
import type { RedisConnections } from '../client/redis-connections';
import type { ReplicaReadGate } from '../client/replica-read.gate';
import { StandaloneTopology } from '../client/topology/standalone-topology';
import type { ResolvedStandaloneOptions } from '../options/resolved-redis-options.interface';
import { RedisCommandRejectedError } from '../errors/redis-command-rejected.error';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import { RedisUnavailableError } from '../errors/redis-unavailable.error';
import { SecretRedactor } from '../errors/secret-redactor';
import { RedisTracing } from '../tracing/redis-tracing';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import { RedisMetrics } from '../metrics/redis-metrics';
import { resolveRedisOptions } from '../options/resolve-redis-options';
import { FallbackStores } from '../fallback/fallback-stores';
import { RedisExecutor } from './redis-executor';
import type { ResilientOperation } from './resilient-operation';

/** The primary client as the executor sees it: a status, events, and the write probe's commands. */
class FakePrimary extends EventEmitter {
  status = 'ready';
  role = 'master';
  call(command: string): Promise<unknown> {
    return command === 'ROLE' ? Promise.resolve([this.role]) : Promise.reject(new Error(`unexpected ${command}`));
  }
  set(): Promise<'OK'> {
    return Promise.resolve('OK');
  }
}

/** An executor in standalone mode (nothing is held) over a fake primary. */
function executorOver(primary = new FakePrimary()) {
  const options = resolveRedisOptions({ circuit: { failureThreshold: 3, probeIntervalMs: 60_000 } });
  const connections = {
    write: primary,
    closed: new AbortController().signal,
    redactor: new SecretRedactor([]),
  } as unknown as RedisConnections;
  const stores = new FallbackStores(100, 1024 * 1024);
  const metrics = new RedisMetrics();
  const readGate = { replica: () => null } as unknown as ReplicaReadGate;
  // The real standalone topology over the fake primary: no failover, no hold.
  const topology = new StandaloneTopology(options as ResolvedStandaloneOptions, connections, 500);
  const executor = new RedisExecutor(
    options,
    connections,
    stores,
    metrics,
    readGate,
    new RedisKeyspace(options),
    topology,
    new RedisTracing(options),
  );
  return { executor, stores, metrics, primary };
}

/**
 * An operation whose Redis call fails as ioredis would with `message` (a `ReplyError` when it starts
 * with a Redis error code), and whose memory answer is `from memory`.
 */
const failing = (message: string, extra: Partial<ResilientOperation<string>> = {}): ResilientOperation<string> => ({
  name: 'test.op',
  redis: () =>
    Promise.reject(Object.assign(new Error(message), /^[A-Z]+ /.test(message) ? { name: 'ReplyError' } : {})),
  memory: () => 'from memory',
  ...extra,
});

const calls = (operation: ResilientOperation<string>) => {
  let count = 0;
  const redis = operation.redis;
  return {
    operation: { ...operation, redis: (client: RedisClient) => ((count += 1), redis(client)) },
    count: () => count,
  };
};

describe('RedisExecutor', () => {
  const executors: RedisExecutor[] = [];
  afterEach(() => executors.splice(0).forEach((executor) => executor.onApplicationShutdown()));
  const start = (primary?: FakePrimary) => {
    const made = executorOver(primary);
    executors.push(made.executor);
    return made;
  };

  it('says which store answered: Redis, or memory when Redis cannot and the operation allows it', async () => {
    const { executor } = start();
    await expect(executor.write({ name: 'ok', redis: () => Promise.resolve('v') })).resolves.toEqual({
      value: 'v',
      source: 'redis',
    });
    await expect(executor.write(failing('connect ECONNREFUSED 127.0.0.1:1'))).resolves.toEqual({
      value: 'from memory',
      source: 'memory',
    });
    await expect(executor.write(failing('connect ECONNREFUSED 127.0.0.1:1', { memory: undefined }))).rejects.toThrow(
      RedisUnavailableError,
    );
  });

  it('never answers a write whose outcome is unknown from memory, unless the answer claims nothing about Redis', async () => {
    const { executor } = start();
    await expect(executor.write(failing('Command timed out'))).rejects.toThrow(RedisOutcomeUnknownError);
    await expect(executor.write(failing('Command timed out', { memoryAfterUnknown: true }))).resolves.toEqual({
      value: 'from memory',
      source: 'memory',
    });
    // A read whose answer was lost changed nothing: memory may answer it.
    await expect(executor.readPrimary(failing('Command timed out'))).resolves.toMatchObject({ source: 'memory' });
  });

  it('passes a rejected command on as it is, never to memory, and without counting it against Redis', async () => {
    const { executor } = start();
    for (let i = 0; i < 5; i += 1) {
      await expect(
        executor.write(failing('WRONGTYPE Operation against a key holding the wrong kind of value')),
      ).rejects.toThrow(RedisCommandRejectedError);
    }
    expect(executor.degraded).toBe(false);
  });

  it('opens the circuit after 3 availability failures: memory answers without asking Redis, until a write probe succeeds', async () => {
    const primary = new FakePrimary();
    primary.role = 'slave'; // the probe must not close the circuit yet
    const { executor, stores } = start(primary);
    for (let i = 0; i < 3; i += 1) await executor.write(failing('connect ECONNREFUSED 127.0.0.1:1'));
    expect(executor.degraded).toBe(true);
    expect(executor.degradedSince).toBeInstanceOf(Date);

    const counted = calls(failing('connect ECONNREFUSED 127.0.0.1:1'));
    await expect(executor.write(counted.operation)).resolves.toMatchObject({ source: 'memory' });
    expect(counted.count()).toBe(0);

    stores.of('cache').set('written-while-degraded', 'x');
    expect(await executor.probe()).toBe(false); // ROLE is not master
    expect(executor.degraded).toBe(true);
    primary.role = 'master';
    expect(await executor.probe()).toBe(true);
    expect(executor.degraded).toBe(false);
    expect(executor.degradedSince).toBeNull();
    // Memory entries were this instance's alone: stale once Redis takes writes again.
    expect(stores.of('cache').size).toBe(0);
  });
});
