import { RedisModuleError } from '@sentinel-kit/redis';

/** Concurrent writers kept changing the session; the update was not applied. Retry it. */
export class SessionConflictError extends RedisModuleError {
  readonly code = 'SESSION_CONFLICT';
}
