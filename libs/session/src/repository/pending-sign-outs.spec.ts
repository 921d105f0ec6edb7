import { CapturedLogger } from '@sentinel-kit/testing';
import { PendingSignOuts } from './pending-sign-outs';

/** A replay that Redis took. */
const replayed = (): Promise<void> => Promise.resolve();

describe('PendingSignOuts', () => {
  let now = 0;
  const clock = { now: () => now };
  let signOuts: PendingSignOuts;
  beforeEach(() => {
    now = 1_000_000;
    signOuts = new PendingSignOuts(new CapturedLogger(), { max: 2, retryMs: 60_000, clock });
  });
  afterEach(() => signOuts.close());

  it('hides a signed-out session until it expires', () => {
    expect(signOuts.signOutSession('a', now + 1000, replayed)).toBe(true);
    expect(signOuts.hides({ id: 'a' })).toBe(true);
    expect(signOuts.hides({ id: 'b' })).toBe(false);
    now += 1000;
    expect(signOuts.hides({ id: 'a' })).toBe(false);
  });

  it("hides a user's sessions created up to the sign-out, not later ones", () => {
    signOuts.signOutUser('alice', now, now + 1000, replayed);
    expect(signOuts.hides({ id: 'x', userId: 'alice', createdAt: now - 1 })).toBe(true);
    expect(signOuts.hides({ id: 'x', userId: 'alice', createdAt: now })).toBe(true);
    expect(signOuts.hides({ id: 'y', userId: 'alice', createdAt: now + 1 })).toBe(false);
    expect(signOuts.hides({ id: 'x', userId: 'bob', createdAt: now - 1 })).toBe(false);
    // Without the record, only the id can be checked.
    expect(signOuts.hides({ id: 'x' })).toBe(false);
  });

  it('refuses a new sign-out when full, but accepts a repeated one', () => {
    signOuts.signOutSession('a', now + 1000, replayed);
    signOuts.signOutUser('alice', now, now + 1000, replayed);
    expect(signOuts.signOutSession('b', now + 1000, replayed)).toBe(false);
    expect(signOuts.hides({ id: 'b' })).toBe(false);
    expect(signOuts.signOutSession('a', now + 2000, replayed)).toBe(true);
  });

  it('forgets what Redis applied, keeps what it refused, and drops what expired', async () => {
    let redisUp = false;
    const applied: string[] = [];
    const replay = (name: string) => () => {
      if (!redisUp) return Promise.reject(new Error('Redis is unavailable'));
      applied.push(name);
      return Promise.resolve();
    };
    signOuts.signOutSession('a', now + 1000, replay('a'));
    signOuts.signOutSession('b', now + 10, replay('b'));
    await signOuts.replay();
    expect(signOuts.size).toBe(2);
    now += 100;
    redisUp = true;
    await signOuts.replay();
    expect(applied).toEqual(['a']);
    expect(signOuts.size).toBe(0);
    expect(signOuts.hides({ id: 'a' })).toBe(false);
  });
});
