import type Redis from 'ioredis';
import { ReplicatedScripts } from './replicated-scripts';

type Reply = [Error | null, unknown];

/**
 * What ReplicatedScripts uses of a connection: `pipeline()` with `eval`, `wait` and `exec`. Each
 * exec is recorded (its scripts' first key, and whether it ended with a WAIT) and answered by
 * `answer`, once the test releases it.
 */
class FakeConnection {
  readonly batches: { keys: string[]; waits: number }[] = [];
  private readonly releases: (() => void)[] = [];

  constructor(private readonly answer: (keys: string[]) => Reply[] | Error) {}

  pipeline() {
    const batch = { keys: [] as string[], waits: 0 };
    const pipeline = {
      eval: (_script: string, _count: number, key: string) => (batch.keys.push(key), pipeline),
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

describe('ReplicatedScripts (group commit)', () => {
  it('sends the scripts of one tick as one batch with one WAIT, and those that come meanwhile as the next', async () => {
    const connection = new FakeConnection((keys) => [...keys.map((): Reply => [null, 1]), [null, 1]]);
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const first = ['a', 'b'].map((key) => scripts.run(client, 'script', [key], []));
    await settle();
    const second = ['c', 'd', 'e'].map((key) => scripts.run(client, 'script', [key], []));
    await settle();
    expect(connection.batches).toEqual([{ keys: ['a', 'b'], waits: 1 }]);
    connection.release();
    expect(await Promise.all(first)).toEqual([
      { reply: 1, acknowledged: 1 },
      { reply: 1, acknowledged: 1 },
    ]);
    await settle();
    expect(connection.batches[1]).toEqual({ keys: ['c', 'd', 'e'], waits: 1 });
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
    const runs = ['a', 'b'].map((key) => scripts.run(client, 'script', [key], []));
    await settle();
    connection.release();
    const [ok, failed] = await Promise.allSettled(runs);
    expect(ok).toEqual({ status: 'fulfilled', value: { reply: 1, acknowledged: waitCut } });
    expect(failed).toEqual({ status: 'rejected', reason: refused });
  });

  it('rejects a batch whose pipeline failed and still sends the next one', async () => {
    let calls = 0;
    const connection = new FakeConnection((keys) =>
      (calls += 1) === 1 ? new Error('Connection is closed.') : [...keys.map((): Reply => [null, 1]), [null, 1]],
    );
    const scripts = new ReplicatedScripts(1, 100);
    const client = connection as unknown as Redis;
    const lost = scripts.run(client, 'script', ['a'], []);
    await settle();
    const next = scripts.run(client, 'script', ['b'], []);
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
    await expect(scripts.run(client, 'script', ['a'], [])).rejects.toThrow('not a pipeline today');
    const next = scripts.run(client, 'script', ['b'], []);
    await settle();
    connection.release();
    await expect(next).resolves.toEqual({ reply: 1, acknowledged: 1 });
  }, 5000); // a stuck queue never settles: fail in seconds, not at the suite's two minutes
});
