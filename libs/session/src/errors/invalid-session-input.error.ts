import { RedisModuleError } from '@sentinel-kit/redis';

/** An argument is malformed (a session id that we could not have issued, an empty user id…). */
export class InvalidSessionInputError extends RedisModuleError {
  readonly code = 'SESSION_INPUT_INVALID';
}
