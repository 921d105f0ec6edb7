import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/testing';

/**
 * Every name `@sentinel-kit/session` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'CreateSessionOptions',
  'InvalidSessionInputError',
  'RedisSessionStore',
  'ResolvedSessionOptions',
  'SESSION_DEFAULTS',
  'SESSION_ENV_VARIABLES',
  'SESSION_RESOLVED_OPTIONS',
  'Session',
  'SessionConflictError',
  'SessionDurability',
  'SessionFallback',
  'SessionHandle',
  'SessionModule',
  'SessionModuleOptions',
  'SessionNotFoundError',
  'SessionNotReplicatedError',
  'SessionService',
  'SessionTooLargeError',
  'SignOutEverywhereResult',
  'SignOutOutcome',
  'TokenRevocationService',
  'isResolvedSessionOptions',
  'isSessionId',
  'parseSessionEnv',
  'resolveSessionEnv',
  'resolveSessionOptions',
  'sessionEnvConfig',
];

describe('@sentinel-kit/session', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });
});
