import type Redis from 'ioredis';
import { RedisScript } from './redis-script';
import { ReplicatedScripts } from './replicated-scripts';

type Reply = [Error | null, unknown];

/**
 * What ReplicatedScripts uses of a connection: `pipeline()` with `evalsha`, `eval`, `wait` and
 * `exec`. Each exec is recorded (its scripts' first key, those sent with their text, and whether it
 * ended with a WAIT) and answered by `answer`, once the test releases it.
 */
class FakeConnection {
  readonly batches: { keys: string[]; texts: string[]; waits: number }[] = [];
  private readonly releases: (() => void)[] = [];

  constructor(private readonly answer: (keys: string[]) => Reply[] | Error) {}

  pipeline() {
    const batch = { keys: [] as string[], texts: [] as string[], waits: 0 };
    const pipeline = {
      evalsha: (_sha1: string, _count: number, key: string) => (batch.keys.push(key), pipeline),
      eval: (_script: string, _count: number, key: string) => (batch.keys.push(key), batch.texts.push(key), pipeline),
      wait: () => ((batch.waits += 1), pipeline),
      exec: () => {
        this.batches.push(batch);
        return new Promise<Reply[]>((resolve, reject) =>
          this.releases.push(() => {
            const answer = this.answer(batch.keys);
            if (answer instanceof Error) reject(answer);
            else resolve(answer);
          }),
        );
      },
    };
    return pipeline;
  }

  /** Answers the batches sent so far. */
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const SCRIPT = new RedisScript("return redis.call('SET', KEYS[1], 1)");

describe('ReplicatedScripts (group commit)', () => {
  it('sends the scripts of one tick as one batch with one WAIT, and those that come meanwhile as the next', async () => {
    const connection = new FakeConnection((keys) => [...keys.map((): Reply => [null, 1]), [null, 1]]);
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const first = ['a', 'b'].map((key) => scripts.run(client, SCRIPT, [key], []));
    await settle();
    const second = ['c', 'd', 'e'].map((key) => scripts.run(client, SCRIPT, [key], []));
    await settle();
    expect(connection.batches).toEqual([{ keys: ['a', 'b'], texts: [], waits: 1 }]);
    connection.release();
    expect(await Promise.all(first)).toEqual([
      { reply: 1, acknowledged: 1 },
      { reply: 1, acknowledged: 1 },
    ]);
    await settle();
    expect(connection.batches[1]).toEqual({ keys: ['c', 'd', 'e'], texts: [], waits: 1 });
    connection.release();
    expect(await Promise.all(second)).toHaveLength(3);
  });

  it("fails only the script Redis refused, and hands the WAIT's error to the others", async () => {
    const refused = Object.assign(new Error('MOVED 1 127.0.0.1:7001'), { name: 'ReplyError' });
    const waitCut = new Error('Command aborted due to connection close');
    const connection = new FakeConnection(() => [
      [null, 1],
      [refused, null],
      [waitCut, null],
    ]);
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const runs = ['a', 'b'].map((key) => scripts.run(client, SCRIPT, [key], []));
    await settle();
    connection.release();
    const [ok, failed] = await Promise.allSettled(runs);
    expect(ok).toEqual({ status: 'fulfilled', value: { reply: 1, acknowledged: waitCut } });
    expect(failed).toEqual({ status: 'rejected', reason: refused });
  });

  it('sends a script the node does not have (NOSCRIPT) again with its text, confirmed by the next WAIT', async () => {
    const noScript = Object.assign(new Error('NOSCRIPT No matching script.'), { name: 'ReplyError' });
    let calls = 0;
    const connection = new FakeConnection((keys) =>
      (calls += 1) === 1
        ? [
            [null, 1],
            [noScript, null],
            [null, 1],
          ]
        : [...keys.map((): Reply => [null, 2]), [null, 1]],
    );
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const runs = ['a', 'b'].map((key) => scripts.run(client, SCRIPT, [key], []));
    await settle();
    connection.release();
    await settle();
    expect(connection.batches[1]).toEqual({ keys: ['b'], texts: ['b'], waits: 1 });
    connection.release();
    expect(await Promise.all(runs)).toEqual([
      { reply: 1, acknowledged: 1 },
      { reply: 2, acknowledged: 1 },
    ]);
  });

  it('rejects a batch whose pipeline failed and still sends the next one', async () => {
    let calls = 0;
    const connection = new FakeConnection((keys) =>
      (calls += 1) === 1 ? new Error('Connection is closed.') : [...keys.map((): Reply => [null, 1]), [null, 1]],
    );
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const lost = scripts.run(client, SCRIPT, ['a'], []);
    await settle();
    const next = scripts.run(client, SCRIPT, ['b'], []);
    connection.release();
    await expect(lost).rejects.toThrow('Connection is closed.');
    await settle();
    connection.release();
    await expect(next).resolves.toEqual({ reply: 1, acknowledged: 1 });
  });

  it('keeps sending after building a pipeline threw', async () => {
    const connection = new FakeConnection((keys) => [...keys.map((): Reply => [null, 1]), [null, 1]]);
    const build = connection.pipeline.bind(connection);
    let builds = 0;
    connection.pipeline = () => {
      if ((builds += 1) === 1) throw new Error('not a pipeline today');
      return build();
    };
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    await expect(scripts.run(client, SCRIPT, ['a'], [])).rejects.toThrow('not a pipeline today');
    const next = scripts.run(client, SCRIPT, ['b'], []);
    await settle();
    connection.release();
    await expect(next).resolves.toEqual({ reply: 1, acknowledged: 1 });
  }, 5000); // a stuck queue never settles: fail in seconds, not at the suite's two minutes
});
