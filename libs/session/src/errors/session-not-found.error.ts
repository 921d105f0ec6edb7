import { RedisModuleError } from '@sentinel-kit/redis';

/** No live session has this id (never existed, expired, destroyed or rotated away). */
export class SessionNotFoundError extends RedisModuleError {
  readonly code = 'SESSION_NOT_FOUND';

  constructor() {
    super('session not found');
  }
}
