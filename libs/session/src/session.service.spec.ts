import { RedisKeyspace, RedisUnavailableError, resolveRedisOptions, type Answer } from '@sentinel-kit/redis';
import { resolveSessionOptions } from './options/resolve-session-options';
import { SessionConflictError } from './errors/session-conflict.error';
import { SessionNotFoundError } from './errors/session-not-found.error';
import { SessionTooLargeError } from './errors/session-too-large.error';
import { newSessionId } from './session-id';
import { SessionService } from './session.service';
import type { SessionMetrics } from './session.metrics';
import { encodeRecord, type SessionRecord, type StoredSession } from './repository/session-record';
import type { SaveOutcome, SessionRepository } from './repository/session.repository';

/**
 * A `SessionRepository` in a Map, with the same compare-and-set answers as the Lua scripts, and hooks to
 * make a save race another writer or fail as Redis would.
 */
class FakeSessionRepository {
  readonly texts = new Map<string, string>();
  saves = 0;
  /** Before each save: change the stored text (another writer), or throw (Redis unavailable). */
  beforeSave?: (record: SessionRecord) => void;

  load(id: string): Promise<Answer<StoredSession | null>> {
    const json = this.texts.get(id);
    return Promise.resolve({
      value: json === undefined ? null : { record: JSON.parse(json) as SessionRecord, json },
      source: 'redis',
    });
  }

  newId(userId: string): string {
    return newSessionId(new RedisKeyspace(redis).slotTag(userId));
  }

  // Async like the real repository: a failure is a rejected promise.
  async save(
    record: SessionRecord,
    { expected, dataJson }: { expected: string | null; dataJson?: string },
  ): Promise<Answer<SaveOutcome>> {
    await Promise.resolve();
    this.saves += 1;
    this.beforeSave?.(record);
    const current = this.texts.get(record.id) ?? null;
    if (expected === null ? current !== null : current !== expected) {
      return { value: expected === null ? 'exists' : 'changed', source: 'redis' };
    }
    this.texts.set(record.id, encodeRecord(record, dataJson));
    return { value: 'saved', source: 'redis' };
  }

  rotate(from: StoredSession, to: SessionRecord, _now: number, dataJson: string): Promise<Answer<SaveOutcome>> {
    if (this.texts.get(from.record.id) !== from.json) return Promise.resolve({ value: 'changed', source: 'redis' });
    this.texts.delete(from.record.id);
    this.texts.set(to.id, encodeRecord(to, dataJson));
    return Promise.resolve({ value: 'saved', source: 'redis' });
  }
}

const redis = resolveRedisOptions({});
const metrics = { sessionCreated: () => undefined } as unknown as SessionMetrics;

function serviceWith(options: Parameters<typeof resolveSessionOptions>[0] = {}) {
  const store = new FakeSessionRepository();
  const service = new SessionService(
    resolveSessionOptions(options, redis),
    store as unknown as SessionRepository,
    metrics,
  );
  return { service, store };
}

describe('SessionService', () => {
  it('applies every racing update or fails it loudly: a save that lost the race is read and tried again', async () => {
    const { service, store } = serviceWith();
    const { id } = await service.create('alice', { n: 0 });
    let raced = false;
    store.beforeSave = (record) => {
      if (raced || record.data.step !== 1) return;
      raced = true;
      const other = JSON.parse(store.texts.get(id)!) as SessionRecord;
      store.texts.set(id, encodeRecord({ ...other, data: { ...other.data, other: true } }));
    };
    const updated = await service.update(id, { step: 1 });
    expect(updated.data).toEqual({ n: 0, other: true, step: 1 });
  });

  it('gives up with SessionConflictError when every attempt loses the race', async () => {
    const { service, store } = serviceWith();
    const { id } = await service.create('alice');
    store.beforeSave = (record) => {
      const other = JSON.parse(store.texts.get(record.id)!) as SessionRecord;
      store.texts.set(record.id, encodeRecord({ ...other, data: { bump: Math.random() } }));
    };
    await expect(service.update(id, { x: 1 })).rejects.toThrow(SessionConflictError);
    expect(store.saves).toBe(1 + 10); // the create, then maxUpdateAttempts
  });

  it('renews a sliding session only when that gains a tenth of its TTL, and skips a renewal Redis cannot take', async () => {
    const { service, store } = serviceWith({ ttlSeconds: 100 });
    const { id } = await service.create('alice');
    const savesAfterCreate = store.saves;
    await service.get(id); // just created: renewing would gain nothing
    expect(store.saves).toBe(savesAfterCreate);

    const record = JSON.parse(store.texts.get(id)!) as SessionRecord;
    store.texts.set(id, encodeRecord({ ...record, expiresAt: Date.now() + 50_000 }));
    const renewed = await service.get(id);
    expect(store.saves).toBe(savesAfterCreate + 1);
    expect(renewed!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 90_000);

    store.texts.set(id, encodeRecord({ ...record, expiresAt: Date.now() + 50_000 }));
    store.beforeSave = () => {
      throw new RedisUnavailableError('session.update: the primary is gone');
    };
    const notRenewed = await service.get(id);
    expect(notRenewed!.expiresAt.getTime()).toBeLessThan(Date.now() + 51_000);
  });

  it('treats an expired session as gone, and checks data size after a patch', async () => {
    const { service, store } = serviceWith({ maxBytes: 64 });
    const { id } = await service.create('alice');
    await expect(service.update(id, { big: 'x'.repeat(100) })).rejects.toThrow(SessionTooLargeError);
    const record = JSON.parse(store.texts.get(id)!) as SessionRecord;
    store.texts.set(id, encodeRecord({ ...record, expiresAt: Date.now() - 1 }));
    expect(await service.get(id)).toBeNull();
    await expect(service.update(id, { a: 1 })).rejects.toThrow(SessionNotFoundError);
  });

  it('rotates to a new id with the patch applied, and the old id stops working', async () => {
    const { service } = serviceWith();
    const { id } = await service.create('alice', { roles: ['user'] });
    const rotated = await service.rotate(id, { roles: ['admin'] });
    expect(rotated.id).not.toBe(id);
    expect(rotated.data).toEqual({ roles: ['admin'] });
    expect(await service.get(id)).toBeNull();
    expect((await service.get(rotated.id))!.data).toEqual({ roles: ['admin'] });
  });
});
