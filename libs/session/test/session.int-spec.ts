import { setTimeout as sleep } from 'node:timers/promises';
import {
  RedisKeyspace,
  RedisOutcomeUnknownError,
  RedisUnavailableError,
  resolveRedisOptions,
  type RedisModuleOptions,
} from '@sentinel-kit/redis';
import {
  InvalidSessionInputError,
  SessionNotFoundError,
  SessionNotReplicatedError,
  SessionTooLargeError,
  isSessionId,
  type SessionModuleOptions,
} from '@sentinel-kit/session';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { startSessionApp, type SessionTestApp } from './session-test-app';

describe('SessionService and TokenRevocationService on a standalone redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  const apps: SessionTestApp[] = [];

  const start = async (session: SessionModuleOptions = {}, redis: Partial<RedisModuleOptions> = {}) => {
    const app = await startSessionApp(
      { host: server.host, port: server.port, commandTimeoutMs: 500, circuit: { probeIntervalMs: 100 }, ...redis },
      session,
    );
    apps.push(app);
    return app;
  };
  const raw = (command: string, ...args: (string | number)[]) => sendCommand(server.endpoint, command, args);
  const keyspace = new RedisKeyspace(resolveRedisOptions({}));
  /** Where a session and a user's index are stored: in the slot of the user's tag, which the id begins with. */
  const sessionKey = (id: string) => keyspace.namespace('session:').inSlot(id.slice(0, 2), id);
  const indexKey = (userId: string) => keyspace.namespace('session-user:').inSlot(keyspace.slotTag(userId), userId);

  beforeAll(async () => {
    // Persistent, so that a restarted server has its sessions back (and the pending sign-outs matter).
    ({ server, dispose } = await startStandaloneRedis({ configLines: ['appendonly yes', 'appendfsync always'] }));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    if (!server.running) await server.start();
    await raw('FLUSHDB');
  });
  afterAll(async () => dispose?.());

  it('creates a session with a CSPRNG id, reads it back and indexes it by user', async () => {
    const { sessions } = await start({ ttlSeconds: 60 });
    const before = Date.now();
    const created = await sessions.create('user-1', { role: 'admin', n: 1 });
    expect(isSessionId(created.id)).toBe(true);
    expect(created.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(created.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    const session = await sessions.get(created.id);
    expect(session).toMatchObject({ id: created.id, userId: 'user-1', data: { role: 'admin', n: 1 } });
    expect(Number(await raw('PTTL', sessionKey(created.id)))).toBeGreaterThan(55_000);
    expect(await raw('ZRANGE', indexKey('user-1'), 0, -1)).toEqual([created.id]);
    const other = await sessions.create('user-1');
    expect(other.id).not.toBe(created.id);
    expect((await sessions.listForUser('user-1')).map((s) => s.id)).toEqual([created.id, other.id]);
    const lastChanged = created.id.slice(0, -1) + (created.id.endsWith('A') ? 'B' : 'A');
    expect(await sessions.get(lastChanged)).toBeNull();
  });

  it('merges updates, deletes keys set to null, and keeps concurrent updates', async () => {
    const { sessions } = await start();
    const { id } = await sessions.create('user-2', { keep: 1, drop: 2 });
    const updated = await sessions.update(id, { drop: null, added: 'x' });
    expect(updated.data).toEqual({ keep: 1, added: 'x' });
    // 20 writers race on one session: each update is applied or fails loudly, never lost silently.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => sessions.update(id, { [`k${i}`]: i })),
    );
    const data = (await sessions.get(id))!.data;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') expect(data[`k${i}`]).toBe(i);
      else expect((result.reason as Error).name).toBe('SessionConflictError');
    });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(10);
  });

  it('rejects malformed, missing and oversized input without writing anything', async () => {
    const { sessions } = await start({ maxBytes: 100 });
    await expect(sessions.get('not-an-id')).rejects.toThrow(InvalidSessionInputError);
    await expect(sessions.create('')).rejects.toThrow(InvalidSessionInputError);
    await expect(sessions.create('u', [] as unknown as Record<string, unknown>)).rejects.toThrow(
      InvalidSessionInputError,
    );
    await expect(sessions.create('u', { big: 'x'.repeat(200) })).rejects.toThrow(SessionTooLargeError);
    const { id } = await sessions.create('u', { small: 1 });
    await expect(sessions.update(id, { big: 'x'.repeat(200) })).rejects.toThrow(SessionTooLargeError);
    expect((await sessions.get(id))!.data).toEqual({ small: 1 });
    const unknown = 'A'.repeat(34);
    await expect(sessions.update(unknown, { a: 1 })).rejects.toThrow(SessionNotFoundError);
    await expect(sessions.touch(unknown)).rejects.toThrow(SessionNotFoundError);
    await expect(sessions.rotate(unknown)).rejects.toThrow(SessionNotFoundError);
    expect(await sessions.destroy(unknown)).toBe('not-found');
    expect(await raw('DBSIZE')).toBe(2); // the session and its user index
  });

  it('rotates to a new id: same data, old id gone, index updated', async () => {
    const { sessions } = await start();
    const { id } = await sessions.create('user-3', { cart: [1, 2] });
    const rotated = await sessions.rotate(id);
    expect(rotated.id).not.toBe(id);
    expect(await sessions.get(id)).toBeNull();
    expect((await sessions.get(rotated.id))!.data).toEqual({ cart: [1, 2] });
    expect((await sessions.listForUser('user-3')).map((s) => s.id)).toEqual([rotated.id]);
  });

  it('rotates with a patch in one step: the new id carries the change, the old id never does', async () => {
    const { sessions } = await start();
    const { id } = await sessions.create('user-3b', { roles: ['user'], theme: 'dark' });
    const rotated = await sessions.rotate(id, { roles: ['admin'], theme: null });
    expect(rotated).toMatchObject({ userId: 'user-3b', data: { roles: ['admin'] }, source: 'redis' });
    expect(await sessions.get(id)).toBeNull();
    expect((await sessions.get(rotated.id))!.data).toEqual({ roles: ['admin'] });
  });

  it('keeps at most maxPerUser sessions per user, evicting the one that expires first, never the new one', async () => {
    const { sessions } = await start({ maxPerUser: 3, ttlSeconds: 600 });
    // Distinct lifetimes: which session expires first does not depend on the clock's millisecond.
    const first = await sessions.create('capped', {}, { ttlSeconds: 100 });
    const second = await sessions.create('capped', {}, { ttlSeconds: 200 });
    const third = await sessions.create('capped', {}, { ttlSeconds: 300 });
    const other = await sessions.create('someone-else', {}, { ttlSeconds: 10 });
    const fourth = await sessions.create('capped', {}, { ttlSeconds: 400 });
    const idsOf = async () => (await sessions.listForUser('capped')).map((s) => s.id).sort();
    expect(await sessions.get(first.id)).toBeNull();
    expect(await idsOf()).toEqual([second.id, third.id, fourth.id].sort());
    // A new session that would expire first is still the one kept.
    const short = await sessions.create('capped', {}, { ttlSeconds: 5 });
    expect(await sessions.get(short.id)).not.toBeNull();
    expect(await sessions.get(second.id)).toBeNull();
    expect(await idsOf()).toEqual([third.id, fourth.id, short.id].sort());
    expect(await sessions.get(other.id)).not.toBeNull();
  });

  it('counts only live sessions against the cap, and drops expired ids from the index when it is reached', async () => {
    const { sessions } = await start({ maxPerUser: 2, ttlSeconds: 600 });
    const live = await sessions.create('lapsed', {}, { ttlSeconds: 600 });
    const lapsed = await sessions.create('lapsed', {}, { ttlSeconds: 1 });
    await waitFor(async () => (await raw('EXISTS', sessionKey(lapsed.id))) === 0, {
      description: 'the short session to expire',
      timeoutMs: 3000,
    });
    expect(await raw('ZCARD', indexKey('lapsed'))).toBe(2); // trimmed lazily, not on expiry
    const fresh = await sessions.create('lapsed');
    expect(await sessions.get(live.id)).not.toBeNull();
    expect(((await raw('ZRANGE', indexKey('lapsed'), 0, -1)) as string[]).sort()).toEqual([live.id, fresh.id].sort());
  });

  it('signs a user with many sessions out everywhere in bounded batches, not in one long script', async () => {
    // 250 logins of one user: a loaded CI machine once took more than 500 ms over one of them.
    const { sessions } = await start({ maxPerUser: 1000 }, { commandTimeoutMs: 2000 });
    const ids = [];
    for (let i = 0; i < 250; i += 1) ids.push((await sessions.create('busy')).id);
    /** Scripts that ran: by text or by hash, less the hashes the server did not know (NOSCRIPT). */
    const scriptRuns = async () => {
      const stats = String(await raw('INFO', 'commandstats'));
      const stat = (command: string, field: string) =>
        Number(new RegExp(`cmdstat_${command}:.*\\b${field}=(\\d+)`).exec(stats)?.[1] ?? 0);
      return stat('eval', 'calls') + stat('evalsha', 'calls') - stat('evalsha', 'failed_calls');
    };
    const before = await scriptRuns();
    expect(await sessions.destroyAllForUser('busy')).toEqual({ state: 'done', destroyed: 250 });
    expect((await scriptRuns()) - before).toBe(3); // batches of 100
    expect(await sessions.get(ids[0])).toBeNull();
    expect(await sessions.get(ids[249])).toBeNull();
    expect(await raw('EXISTS', indexKey('busy'))).toBe(0);
  });

  it('destroys one session, or all of a user, and drops the index with the last one', async () => {
    const { sessions } = await start();
    const a = await sessions.create('user-4');
    const b = await sessions.create('user-4');
    const c = await sessions.create('user-4');
    const other = await sessions.create('user-5');
    expect(await sessions.destroy(a.id)).toBe('destroyed');
    expect(await sessions.destroy(a.id)).toBe('not-found');
    expect(await sessions.get(a.id)).toBeNull();
    expect(await sessions.destroyAllForUser('user-4')).toEqual({ state: 'done', destroyed: 2 });
    expect(await sessions.destroyAllForUser('user-4')).toEqual({ state: 'done', destroyed: 0 });
    expect(await sessions.get(b.id)).toBeNull();
    expect(await sessions.get(c.id)).toBeNull();
    expect(await sessions.listForUser('user-4')).toEqual([]);
    expect(await raw('EXISTS', indexKey('user-4'))).toBe(0);
    expect(await sessions.get(other.id)).not.toBeNull();
  });

  it('expires sessions, slides the expiry on use, and stops at the absolute lifetime', async () => {
    const { sessions } = await start({ ttlSeconds: 2, absoluteTtlSeconds: 4 });
    const idle = await sessions.create('user-6');
    const used = await sessions.create('user-6');
    await sleep(1300);
    expect(await sessions.get(used.id)).not.toBeNull(); // renews to ~3.3 s
    await sleep(1300);
    expect(await sessions.get(idle.id)).toBeNull(); // 2.6 s without use
    const renewed = await sessions.get(used.id);
    expect(renewed).not.toBeNull();
    expect(renewed!.expiresAt.getTime()).toBe(renewed!.absoluteExpiresAt.getTime()); // capped
    await waitFor(async () => (await sessions.get(used.id)) === null, {
      description: 'the absolute expiry',
      timeoutMs: 3000,
    });
    // The index never outlives its sessions.
    await waitFor(async () => (await raw('EXISTS', indexKey('user-6'))) === 0, {
      description: 'the user index to expire with its last session',
      timeoutMs: 2000,
    });
  });

  it('remembers a revoked token until the token expires', async () => {
    const { revocations } = await start();
    await revocations.revoke('jti-1', new Date(Date.now() + 1000));
    await revocations.revoke('jti-expired', new Date(Date.now() - 1000));
    expect(await revocations.isRevoked('jti-1')).toBe(true);
    expect(await raw('EXISTS', 'app:revoked-token:jti-1')).toBe(1);
    expect(await revocations.isRevoked('jti-expired')).toBe(false);
    expect(await revocations.isRevoked('jti-other')).toBe(false);
    await waitFor(async () => !(await revocations.isRevoked('jti-1')), {
      description: 'the revocation to expire',
      timeoutMs: 3000,
    });
    await expect(revocations.revoke('', new Date())).rejects.toThrow(InvalidSessionInputError);
  });

  it('with the memory fallback, keeps new sessions in memory while Redis is gone, never calls a Redis session absent, and keeps sign-outs pending until Redis applies them', async () => {
    const { sessions, revocations, status, logs } = await start();
    const stored = await sessions.create('user-7');
    const elsewhere = await sessions.create('user-7b');
    const everywhere = await sessions.create('user-7c');
    expect(stored.source).toBe('redis');
    await server.kill();
    await waitFor(() => status.getStatus().degraded, { description: 'the client to see the connection gone' });
    const { id, source } = await sessions.create('user-7', { offline: true });
    expect(source).toBe('memory');
    expect(await sessions.get(id)).toMatchObject({ data: { offline: true }, source: 'memory' });
    await sessions.update(id, { more: 1 });
    expect(status.getStatus().degraded).toBe(true);
    // Memory does not know what Redis holds: a stored session is unknown here, not absent, and a
    // list would be partial.
    await expect(sessions.get(stored.id)).rejects.toThrow(RedisUnavailableError);
    await expect(sessions.listForUser('user-7')).rejects.toThrow(RedisUnavailableError);
    await expect(revocations.isRevoked('jti-2')).rejects.toThrow(RedisUnavailableError);
    await expect(revocations.revoke('jti-2', new Date(Date.now() + 60_000))).rejects.toThrow(RedisUnavailableError);

    // Sign-outs: the memory session is gone at once; the stored ones are signed out here, pending.
    expect(await sessions.destroy(id)).toBe('destroyed');
    expect(await sessions.get(id)).toBeNull();
    expect(await sessions.destroy(stored.id)).toBe('pending');
    expect(await sessions.get(stored.id)).toBeNull();
    expect(await sessions.destroy(elsewhere.id)).toBe('pending');
    expect(await sessions.destroyAllForUser('user-7c')).toEqual({ state: 'pending' });
    expect(logs.lines.some((line) => line.includes('session.sign-outs-pending'))).toBe(true);

    // Redis is back with every session it had: the pending sign-outs reach it, none comes back.
    await server.start();
    await waitFor(() => logs.lines.some((line) => line.includes('session.sign-outs-replayed')), {
      description: 'the pending sign-outs to be replayed',
      timeoutMs: 10_000,
    });
    for (const gone of [stored.id, elsewhere.id, everywhere.id]) {
      expect(await raw('EXISTS', sessionKey(gone))).toBe(0);
      expect(await sessions.get(gone)).toBeNull();
    }
    expect(await raw('KEYS', 'app:session-user:*')).toEqual([]);
  });

  it('fails fast with the fallback off', async () => {
    const { sessions, status } = await start({}, { fallback: { enabled: false } });
    await server.kill();
    // Until the client has processed the close, a write goes to the dead socket (outcome unknown).
    await waitFor(() => status.getStatus().degraded, { description: 'the client to see the connection gone' });
    await expect(sessions.create('user-8')).rejects.toThrow(RedisUnavailableError);
  });

  it('sends its scripts by SHA1, and with their text again after the script cache is flushed (NOSCRIPT)', async () => {
    const direct = await start({ durability: 'primary' });
    const grouped = await start({ durability: 'replicated', replicationTimeoutMs: 50, onUnreplicated: 'warn' });
    await raw('CONFIG', 'RESETSTAT');
    for (const { sessions } of [direct, grouped]) {
      const { id } = await sessions.create('user-scripts');
      await raw('SCRIPT', 'FLUSH');
      await sessions.update(id, { after: 'flush' });
      const { id: second } = await sessions.create('user-scripts');
      expect((await sessions.get(id))?.data).toEqual({ after: 'flush' });
      expect(await sessions.get(second)).not.toBeNull();
    }
    const commands = (await raw('INFO', 'commandstats')) as string;
    const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(commands)?.[1] ?? 0);
    // A script's text went once when the server did not have it (at most once before the first
    // flush, once after each); every other run went by its hash.
    expect(calls('evalsha')).toBeGreaterThanOrEqual(6);
    expect(calls('eval')).toBeLessThanOrEqual(3);
  });

  it('never reports success for a durable write that no replica confirmed', async () => {
    const strict = await start({ durability: 'replicated', replicationTimeoutMs: 100 });
    await expect(strict.sessions.create('user-9')).rejects.toThrow(SessionNotReplicatedError);
    const lenient = await start({ durability: 'replicated', replicationTimeoutMs: 100, onUnreplicated: 'warn' });
    const { id } = await lenient.sessions.create('user-9');
    expect(await lenient.sessions.get(id)).not.toBeNull();
    expect(lenient.logs.lines.some((l) => l.includes('confirmed by 0 of 1 required replica(s)'))).toBe(true);
  });

  it('confirms concurrent durable writes with one WAIT per batch (group commit), so that unconfirmed ones fail in about one WAIT timeout each, not one after another', async () => {
    const waits = async () =>
      Number(/^cmdstat_wait:calls=(\d+)/m.exec(String(await raw('INFO', 'commandstats')))?.[1] ?? 0);
    const { sessions } = await start({ durability: 'replicated', replicationTimeoutMs: 100 });
    // No replica: 40 WAITs of 100 ms in turn would outlast the 500 ms command timeout.
    const before = await waits();
    const started = performance.now();
    const unconfirmed = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => sessions.create(`batch-${i}`)));
    const elapsedMs = performance.now() - started;
    const errors = unconfirmed.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error) : null));
    expect(errors.filter((error) => !(error instanceof SessionNotReplicatedError))).toEqual([]);
    // In turn, 40 WAITs alone would take 4 s; batched, a few hundred milliseconds.
    expect(elapsedMs).toBeLessThan(3000);
    expect((await waits()) - before).toBeLessThan(10);

    const { server: replica, dispose: disposeReplica } = await startStandaloneRedis({
      configLines: [`replicaof ${server.host} ${server.port}`],
    });
    try {
      await waitFor(
        async () =>
          /^master_link_status:up/m.test(String(await sendCommand(replica.endpoint, 'INFO', ['replication']))),
        {
          description: 'the replica in sync',
        },
      );
      // Bounds generous enough for a replica starved of CPU on a loaded machine.
      const patient = await start({ durability: 'replicated', replicationTimeoutMs: 1500 }, { commandTimeoutMs: 2000 });
      const confirmedBefore = await waits();
      const confirmed = await Promise.all(Array.from({ length: 40 }, (_, i) => patient.sessions.create(`batch-${i}`)));
      expect(confirmed).toHaveLength(40);
      expect((await waits()) - confirmedBefore).toBeLessThan(40);
      for (const { id } of confirmed) expect(await sendCommand(replica.endpoint, 'EXISTS', [sessionKey(id)])).toBe(1);
    } finally {
      await disposeReplica();
    }
  });

  it('reports a durable write whose WAIT was cut off as of unknown outcome, never as not applied', async () => {
    const { sessions } = await start({ durability: 'replicated', replicationTimeoutMs: 400 });
    const creating = sessions.create('user-cut');
    // No replica: the WAIT blocks its connection for 400 ms, after the script's reply came back.
    const blocked = await waitFor(
      async () =>
        String(await raw('CLIENT', 'LIST'))
          .split('\n')
          .find((line) => / name=sentinel-kit:durable /.test(line) && / cmd=wait /.test(line)),
      { description: 'the durable connection blocked in WAIT' },
    );
    await raw('CLIENT', 'KILL', 'ID', /^id=(\d+) /.exec(blocked)![1]);
    await expect(creating).rejects.toThrow(RedisOutcomeUnknownError);
    expect(await raw('ZCARD', indexKey('user-cut'))).toBe(1);
  });
});
