import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/test-support';

/**
 * Every name `@sentinel-kit/session` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'CreateSessionOptions',
  'InvalidSessionInputError',
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
];

/** The subpath entries, each for the apps that have the optional peer it needs. */
const SUBPATH_API = {
  config: ['sessionEnvConfig'],
  'express-session': ['RedisSessionStore'],
};

describe('@sentinel-kit/session', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });

  it.each(Object.entries(SUBPATH_API))('exports exactly its API from @sentinel-kit/session/%s', (subpath, names) => {
    expect(exportedNames(join(__dirname, `${subpath}-entry.ts`))).toEqual(names);
  });
});
