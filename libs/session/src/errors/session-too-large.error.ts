import { RedisModuleError } from '@sentinel-kit/redis';

/** The session data is larger than `maxBytes` (as JSON). Nothing was written. */
export class SessionTooLargeError extends RedisModuleError {
  readonly code = 'SESSION_TOO_LARGE';

  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`session data is ${bytes} bytes as JSON, more than the ${maxBytes} allowed`);
  }
}
