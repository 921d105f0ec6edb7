import type Redis from 'ioredis';

/**
 * How many sweeps per command timeout. A command is noted by the first sweep after it is written
 * and failed by the first sweep a timeout after that note: at most two sweeps, an eighth of the
 * timeout, late.
 */
const SWEEPS_PER_TIMEOUT = 16;

/** What the sweep needs of an ioredis command: whether it has its answer, and how to fail it. */
interface PendingCommand {
  readonly isSettled: boolean;
  reject(error: Error): void;
}

/** An ioredis connection's queue of written commands, oldest first (it answers them in order). */
interface WrittenCommands {
  readonly length: number;
  peekBack(): { command: PendingCommand } | undefined;
  peekAt(index: number): { command: PendingCommand } | undefined;
}

/** One sweep's note on a connection: when, its queue then, and the newest command written to it by then. */
interface Mark {
  readonly at: number;
  readonly queue: WrittenCommands;
  readonly newest: PendingCommand | undefined;
}

/**
 * Bounds every command of the connections it watches by the command timeout, without a timer per
 * command: one interval for all of them sweeps every `timeout / 8`. Each sweep notes the newest
 * command each connection has written; once a note is a timeout old, every command written up to
 * that one that is still unanswered is failed with ioredis' own `Command timed out` (outcome
 * unknown, as with ioredis' `commandTimeout`). A command thus fails between the timeout and an
 * eighth of it later, never earlier; like ioredis' timer, it stays in the connection's queue so that
 * the replies still match their commands. A note keeps the queue it was taken on: when a connection
 * drops, ioredis starts a new queue and forgets the unanswered commands of the old one without
 * failing them (`autoResendUnfulfilledCommands: false`), so only a deadline ever settles them.
 *
 * ioredis' `commandTimeout` costs a timer per command (set, then cleared with a `delete` that
 * slows the command object down); this costs one array entry per connection per sweep. It reads
 * ioredis' queue of written commands: should a release of ioredis no longer have one, a connection
 * falls back to ioredis' own `commandTimeout`, with the same guarantee.
 */
export class CommandDeadlines {
  private readonly marks = new Map<Redis, Mark[]>();
  private timer?: NodeJS.Timeout;
  /** How often the connections are swept. */
  readonly sweepMs: number;

  /**
   * @param timeoutMs how long a command may go unanswered.
   * @param now the clock, in milliseconds (tests step it).
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sweepMs = Math.max(1, Math.floor(timeoutMs / SWEEPS_PER_TIMEOUT));
  }

  /** Bounds every command `connection` writes from now on, until {@link close}. */
  watch(connection: Redis): void {
    if (!writtenCommands(connection)) {
      connection.options.commandTimeout = this.timeoutMs;
      return;
    }
    this.marks.set(connection, []);
    this.timer ??= setInterval(() => this.sweep(), this.sweepMs).unref();
  }

  /** Stops sweeping (at shutdown: the connections are closing, which fails what they still wait for). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.marks.clear();
  }

  /** Fails the commands whose timeout passed; run by the interval, or by a test with its own clock. */
  sweep(): void {
    const now = this.now();
    for (const [connection, marks] of this.marks) {
      const queue = writtenCommands(connection)!;
      marks.push({ at: now, queue, newest: queue.peekBack()?.command });
      while (marks.length > 0 && now - marks[0].at >= this.timeoutMs) {
        const { queue: noted, newest } = marks.shift()!;
        // Unanswered, so still queued: it and every command before it were written a timeout ago.
        if (newest && !newest.isSettled) failThrough(noted, newest);
      }
    }
  }
}

/** Fails every unanswered command of `queue` from the oldest up to `last`. */
function failThrough(queue: WrittenCommands, last: PendingCommand): void {
  for (let index = 0; index < queue.length; index += 1) {
    const { command } = queue.peekAt(index)!;
    if (!command.isSettled) command.reject(new Error('Command timed out'));
    if (command === last) return;
  }
}

/** ioredis' queue of written commands, when this release of ioredis has the one the sweep reads. */
function writtenCommands(connection: Redis): WrittenCommands | undefined {
  const queue = (connection as unknown as { commandQueue?: Partial<WrittenCommands> }).commandQueue;
  return typeof queue?.peekBack === 'function' && typeof queue.peekAt === 'function'
    ? (queue as WrittenCommands)
    : undefined;
}
