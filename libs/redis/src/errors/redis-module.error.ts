/**
 * Base of every error the Redis libraries throw. `code` is stable and meant for branching;
 * the message is for people and never contains a secret.
 */
export abstract class RedisModuleError extends Error {
  /** Stable machine-readable code, e.g. `REDIS_UNAVAILABLE`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
