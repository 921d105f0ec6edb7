import type Redis from 'ioredis';
import { CommandDeadlines } from './command-deadlines';

/** A written command as the sweep sees it; `failedWith` records how it was failed. */
class FakeCommand {
  isSettled = false;
  failedWith?: string;

  reject(error: Error): void {
    this.isSettled = true;
    this.failedWith = error.message;
  }

  answer(): void {
    this.isSettled = true;
  }
}

/** ioredis' queue of written commands, over an array: answered ones leave from the front. */
function queueOver(written: { command: FakeCommand }[]) {
  return {
    get length(): number {
      return written.length;
    },
    peekBack: () => written.at(-1),
    peekAt: (index: number) => written[index],
  };
}

/** A connection as the sweep sees it. */
class FakeConnection {
  written: { command: FakeCommand }[] = [];
  readonly options: { commandTimeout?: number } = {};
  commandQueue = queueOver(this.written);

  /** As ioredis does on reconnecting: a new queue; the old one keeps its unanswered commands, unsettled. */
  reconnect(): void {
    this.written = [];
    this.commandQueue = queueOver(this.written);
  }

  write(): FakeCommand {
    const command = new FakeCommand();
    this.written.push({ command });
    return command;
  }

  /** Redis answers the oldest command. */
  answerOldest(): void {
    this.written.shift()!.command.answer();
  }
}

describe('CommandDeadlines', () => {
  const TIMEOUT = 400;
  let now: number;
  let deadlines: CommandDeadlines;
  let queue: FakeConnection;
  /** Steps the clock to `at`, sweeping at every sweep interval on the way, as the interval would. */
  const advanceTo = (at: number) => {
    while (now + deadlines.sweepMs <= at) {
      now += deadlines.sweepMs;
      deadlines.sweep();
    }
    now = at;
  };

  beforeEach(() => {
    now = 0;
    deadlines = new CommandDeadlines(TIMEOUT, () => now);
    queue = new FakeConnection();
  });
  afterEach(() => deadlines.close());

  it('fails an unanswered command with "Command timed out" between the timeout and an eighth of it later', () => {
    deadlines.watch(queue as unknown as Redis);
    advanceTo(10);
    const command = queue.write();
    advanceTo(10 + TIMEOUT - 1);
    expect(command.isSettled).toBe(false);
    advanceTo(10 + TIMEOUT + TIMEOUT / 8);
    expect(command.failedWith).toBe('Command timed out');
  });

  it('never fails a command early: each one gets its own timeout, in the order they were written', () => {
    deadlines.watch(queue as unknown as Redis);
    const first = queue.write();
    advanceTo(150);
    const second = queue.write();
    advanceTo(TIMEOUT + TIMEOUT / 8);
    expect(first.failedWith).toBe('Command timed out');
    expect(second.isSettled).toBe(false);
    advanceTo(150 + TIMEOUT - 1);
    expect(second.isSettled).toBe(false);
    advanceTo(150 + TIMEOUT + TIMEOUT / 8);
    expect(second.failedWith).toBe('Command timed out');
    // Failed commands stay queued, so that a late reply still meets its own command.
    expect(queue.written).toHaveLength(2);
  });

  it('leaves answered commands alone, and fails only those still waiting behind a hung one', () => {
    deadlines.watch(queue as unknown as Redis);
    const answered = queue.write();
    queue.answerOldest();
    advanceTo(50);
    const hung = queue.write();
    const behind = queue.write();
    advanceTo(50 + TIMEOUT + TIMEOUT / 8);
    expect(answered.failedWith).toBeUndefined();
    expect([hung.failedWith, behind.failedWith]).toEqual(['Command timed out', 'Command timed out']);
  });

  it('does not fail a command written after the connection came back, for an old one that was answered', () => {
    deadlines.watch(queue as unknown as Redis);
    queue.write();
    advanceTo(100);
    queue.answerOldest();
    const fresh = queue.write();
    advanceTo(100 + TIMEOUT - 1);
    expect(fresh.isSettled).toBe(false);
  });

  it('fails the commands a reconnect left unanswered in the old queue, which ioredis never settles', () => {
    deadlines.watch(queue as unknown as Redis);
    const lost = queue.write();
    advanceTo(100);
    queue.reconnect();
    const fresh = queue.write();
    advanceTo(TIMEOUT + TIMEOUT / 8);
    expect(lost.failedWith).toBe('Command timed out');
    expect(fresh.isSettled).toBe(false);
    advanceTo(100 + TIMEOUT + TIMEOUT / 8);
    expect(fresh.failedWith).toBe('Command timed out');
  });

  it("falls back to ioredis' own commandTimeout for a connection without the queue the sweep reads", () => {
    const connection = { options: {} as { commandTimeout?: number } };
    deadlines.watch(connection as unknown as Redis);
    expect(connection.options.commandTimeout).toBe(TIMEOUT);
  });
});
