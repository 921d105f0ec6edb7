export { InvalidSessionInputError } from './errors/invalid-session-input.error';
export { SessionConflictError } from './errors/session-conflict.error';
export { SessionNotFoundError } from './errors/session-not-found.error';
export { SessionNotReplicatedError } from './errors/session-not-replicated.error';
export { SessionTooLargeError } from './errors/session-too-large.error';
export { isResolvedSessionOptions, resolveSessionOptions } from './options/resolve-session-options';
export { SESSION_ENV_VARIABLES, parseSessionEnv, resolveSessionEnv } from './options/session-env';
export type {
  ResolvedSessionOptions,
  SessionDurability,
  SessionFallback,
  SessionModuleOptions,
} from './options/session-options.interface';
export { SESSION_DEFAULTS, SESSION_RESOLVED_OPTIONS } from './session.constants';
export { isSessionId } from './session-id';
export { SessionModule } from './session.module';
export { SessionService, type CreateSessionOptions, type Session, type SessionHandle } from './session.service';
export type { SignOutEverywhereResult, SignOutOutcome } from './repository/session.repository';
export { TokenRevocationService } from './token-revocation.service';
