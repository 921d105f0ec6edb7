import type { INestApplication } from '@nestjs/common';
import { CapturedLogger, SentinelTopology, sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi } from './start-api';

/** Concurrent clients logging in flat out, as in the measurement that opened this work. */
const WRITERS = 16;
/** Answers read back at once from the other instance. */
const READERS = 32;
const ADMIN_TOKEN = 'admin-token-of-the-failover-suite';

/** The `sid=…` cookie pair a fetch response set. */
const sidOf = (response: Response): string => String(response.headers.get('set-cookie')).split(';')[0];

/** A login answered 201. */
interface Login {
  /** `sid=…`: the login's cookie. */
  cookie: string;
  userId: string;
  n: number;
}

/** What a storm of logins got. */
interface LoginStorm {
  /** 201 with `storage: 'redis'`. */
  stored: Login[];
  /** 201 with `storage: 'memory'`: a login that lives in one instance only. Must stay 0. */
  inMemory: number;
  /** 503, each with a Retry-After. */
  unavailable: number;
  /** Any other status, by status. Must stay empty. */
  other: Record<number, number>;
}

describe('logins and logouts through failovers and outages, two API instances on one Sentinel group', () => {
  let topology: SentinelTopology;
  const pods: INestApplication[] = [];

  const baseUrl = (pod: INestApplication) =>
    `http://127.0.0.1:${((pod.getHttpServer() as Server).address() as AddressInfo).port}`;

  /**
   * Two instances, A and B, listening on loopback. Nest's logger is global to the process: both
   * log to `logger` (B only answers reads, so its circuit has no reason to change).
   */
  const startPods = async (env: Record<string, string> = {}, logger?: CapturedLogger) => {
    const started: string[] = [];
    for (let pod = 0; pod < 2; pod += 1) {
      const pod = await startApi(
        {
          REDIS_SENTINEL_ENABLED: 'true',
          REDIS_SENTINELS: topology.sentinelList,
          REDIS_COMMAND_TIMEOUT_MS: '500',
          LOGIN_RATE_LIMIT: '1000000/1m',
          ...env,
        },
        logger,
      );
      await pod.listen(0, '127.0.0.1');
      pods.push(pod);
      started.push(baseUrl(pod));
    }
    return started as [string, string];
  };

  /** Logs in from WRITERS loops against `base` until `fault` resolves. */
  const storm = async (base: string, fault: () => Promise<void>): Promise<LoginStorm> => {
    const result: LoginStorm = { stored: [], inMemory: 0, unavailable: 0, other: {} };
    let running = true;
    const writer = async (w: number) => {
      for (let n = 0; running; n += 1) {
        // One user per login: the per-user cap (SESSION_MAX_PER_USER) would sign a storm's oldest logins out.
        const userId = `storm-${w}-${n}`;
        const response = await fetch(`${base}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId, data: { n } }),
        });
        const body = (await response.json()) as { storage: string };
        const cookie = sidOf(response);
        if (response.status === 201 && body.storage === 'redis') result.stored.push({ cookie, userId, n });
        else if (response.status === 201) result.inMemory += 1;
        else if (response.status === 503 && response.headers.get('retry-after')) result.unavailable += 1;
        else result.other[response.status] = (result.other[response.status] ?? 0) + 1;
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    try {
      await waitFor(() => result.stored.length >= WRITERS || undefined, {
        description: 'logins stored before the fault',
      });
      await fault();
      // Every fault ends with the group whole: logins are stored again, not counted over a window.
      const storedBefore = result.stored.length;
      await waitFor(() => result.stored.length >= storedBefore + WRITERS || undefined, {
        description: 'logins stored after the fault',
        timeoutMs: 10_000,
      });
    } finally {
      running = false;
      await Promise.all(writers);
    }
    return result;
  };

  /** The logins that `base` cannot read back with their data. */
  const unreadable = async (base: string, logins: readonly Login[]): Promise<Login[]> => {
    const missing: Login[] = [];
    let next = 0;
    const reader = async () => {
      while (next < logins.length) {
        const login = logins[next++];
        const response = await fetch(`${base}/sessions/current`, { headers: { cookie: login.cookie } });
        const body = (await response.json()) as { data?: { n?: number } };
        if (response.status !== 200 || body.data?.n !== login.n) missing.push(login);
      }
    };
    await Promise.all(Array.from({ length: READERS }, reader));
    return missing;
  };

  /** Runs a storm against A across `fault`, then reads every stored login back from B. */
  const loginsAcross = async (
    name: string,
    fault: () => Promise<void>,
    env: Record<string, string> = {},
    logs = new CapturedLogger(),
  ) => {
    const [a, b] = await startPods(env, logs);
    const result = await storm(a, fault);
    await topology.waitUntilSettled();
    const missing = await unreadable(b, result.stored);
    reportMeasure(`${name}: logins answered 201 from Redis`, result.stored.length, 'logins');
    reportMeasure(`${name}: logins answered 201 from one instance's memory`, result.inMemory, 'logins');
    reportMeasure(`${name}: logins answered 503 (with Retry-After)`, result.unavailable, 'logins');
    reportMeasure(`${name}: 201 logins the other instance could not read afterwards`, missing.length, 'logins');
    expect({ inMemory: result.inMemory, other: result.other, missing }).toEqual({
      inMemory: 0,
      other: {},
      missing: [],
    });
    return result;
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
  });
  afterEach(async () => {
    await Promise.all(pods.splice(0).map((pod) => pod.close()));
    for (const node of [...topology.dataNodes, ...topology.sentinels]) {
      if (!node.running) await node.start();
    }
    await topology.waitUntilSettled(2);
  });
  afterAll(async () => topology?.stop());

  it('loses no login when the primary is SIGKILLed: every 201 is readable from the other instance', async () => {
    await loginsAcross('SIGKILL of the primary', async () => {
      const old = await topology.primary();
      await old.kill();
      await topology.waitForNewPrimary(old.port);
      await sleep(2000);
    });
  });

  it('loses no login when the primary is SIGSTOPped for 6 s (failed over meanwhile), then SIGCONTed', async () => {
    await loginsAcross('SIGSTOP of the primary for 6 s', async () => {
      const old = await topology.primary();
      old.pause();
      try {
        // 6 s at least, and until the sentinels have failed over: a split vote can take them longer.
        await Promise.all([sleep(6000), topology.waitForNewPrimary(old.port)]);
      } finally {
        old.resume();
      }
      await topology.waitForNewPrimary(old.port);
      await sleep(1000);
    });
  });

  it('answers no login the other instance cannot read while the primary refuses writes (NOREPLICAS) for 6 s, and the circuit does not flap', async () => {
    const logs = new CapturedLogger();
    const result = await loginsAcross(
      'NOREPLICAS for 6 s (hold 2 s)',
      async () => {
        const primary = await topology.primary();
        // More replicas than the group has: the primary answers PING and reads, and refuses writes.
        await sendCommand(primary.endpoint, 'CONFIG', ['SET', 'min-replicas-to-write', '3']);
        try {
          await sleep(6000);
        } finally {
          await sendCommand(primary.endpoint, 'CONFIG', ['SET', 'min-replicas-to-write', '0']);
        }
        await waitFor(() => logs.lines.some((line) => line.includes('event=redis.recovered')), {
          description: 'the circuit to close once the primary takes writes',
        });
        await sleep(500);
      },
      // Shorter than the outage, so that writes do fail and the circuit opens.
      { REDIS_SENTINEL_WRITE_HOLD_MS: '2000' },
      logs,
    );
    const transitions = logs.lines.filter((line) => /event=redis\.(degraded|recovered)/.test(line));
    reportMeasure(
      'NOREPLICAS for 6 s: circuit transitions on the instance that took the logins',
      transitions.length,
      'transitions',
    );
    expect(result.unavailable).toBeGreaterThan(0);
    expect(transitions.map((line) => /event=(\S+)/.exec(line)![1])).toEqual(['redis.degraded', 'redis.recovered']);
  });

  it('signs out for real, or answers 503, while every Redis process is paused for 2 s: never 404, never a short count', async () => {
    const [a, b] = await startPods({ ADMIN_TOKEN });
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const create = async (userId: string) => {
      const response = await fetch(`${a}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      expect(response.status).toBe(201);
      return sidOf(response);
    };
    const logouts: string[] = [];
    for (let i = 0; i < 10; i += 1) logouts.push(await create('dave'));
    for (let i = 0; i < 3; i += 1) await create('carol');
    const everything = [...topology.dataNodes, ...topology.sentinels];

    for (const process of everything) process.pause();
    const answers = logouts.map((cookie) => fetch(`${a}/sessions/current`, { method: 'DELETE', headers: { cookie } }));
    const everywhere = fetch(`${a}/admin/users/carol/sessions`, { method: 'DELETE', headers: admin });
    await sleep(2000);
    for (const process of everything) process.resume();

    const statuses = (await Promise.all(answers)).map((response) => response.status);
    const signOut = await everywhere;
    const signOutBody = (await signOut.json()) as { destroyed?: number };
    const count = (status: number) => statuses.filter((s) => s === status).length;
    reportMeasure('logouts answered 204 across a 2 s pause of everything', count(204), 'logouts');
    reportMeasure('logouts answered 503 across a 2 s pause of everything', count(503), 'logouts');
    expect(statuses.every((status) => status === 204 || status === 503)).toBe(true);
    expect(signOut.status === 200 ? signOutBody : signOut.status).toEqual(
      signOut.status === 200 ? { destroyed: 3 } : 503,
    );
    // The hold carried at least some of them through: a test of honesty, not of giving up.
    expect(statuses.filter((status) => status === 204).length + (signOut.status === 200 ? 1 : 0)).toBeGreaterThan(0);

    // A sign-out answered as done holds once Redis is back, on the other instance too.
    await topology.waitUntilSettled();
    for (const [i, cookie] of logouts.entries()) {
      if (statuses[i] === 204) expect((await fetch(`${b}/sessions/current`, { headers: { cookie } })).status).toBe(401);
    }
    if (signOut.status === 200) {
      expect(await (await fetch(`${b}/admin/users/carol/sessions`, { headers: admin })).json()).toEqual([]);
    }
  });
});
