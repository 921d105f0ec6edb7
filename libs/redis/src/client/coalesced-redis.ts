import Redis, { type Command, type RedisOptions } from 'ioredis';

/** The socket ioredis writes to (a TCP or TLS socket). */
type Socket = Redis['stream'];

/**
 * An ioredis connection that coalesces its writes while it waits for replies. A command sent on an
 * idle connection (nothing awaiting a reply) is written at once, as ioredis does. A command sent
 * while others await their replies corks the socket until `setImmediate`, once the I/O callbacks
 * of this turn of the event loop ran; the commands sent meanwhile join it, and Node writes them all
 * with one `writev`. Fifty requests that each send a command in one turn then cost one or two
 * writes to the kernel instead of fifty, and none waits for a reply it would not have waited for
 * anyway. Nothing else changes: each command is still queued, answered and timed as ioredis does.
 * `QUIT` flushes what the socket holds; a socket destroyed first (`disconnect()`, a reconnect)
 * drops it, and those commands fail as unanswered, as the ones already sent do.
 */
export class CoalescedRedis extends Redis {
  /** The socket corked in this turn, if any. */
  private corked?: Socket;

  /** @param options as for ioredis; replies in ioredis' default (`legacy`) mapping. */
  constructor(options: Omit<RedisOptions, 'replyMapping'>) {
    super(options);
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const socket = this.stream;
    if (this.corked !== socket && this.commandQueue.length > 0 && this.status === 'ready' && socket !== undefined) {
      this.corked = socket;
      socket.cork();
      setImmediate(() => {
        if (this.corked === socket) this.corked = undefined;
        socket.uncork();
      });
    }
    return super.sendCommand(command, stream);
  }
}
