import type { Session } from '@sentinel-kit/session';
import { sessionHandle } from './session-handle';

/** Your current session, as `GET /sessions/current` shows it. */
export interface CurrentSessionView {
  handle: string;
  userId: string;
  data: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
  storage: Session['source'];
}

/** One session in a listing: metadata and its handle, never its id or data. */
export interface SessionSummary {
  handle: string;
  createdAt: string;
  expiresAt: string;
  /** Whether it is the session of the request's cookie. */
  current: boolean;
}

/** The answer to a sign-out that Redis could not be told of yet. */
export interface PendingSignOut {
  pending: true;
  storage: 'memory';
  message: string;
}

export const PENDING_SIGN_OUT: PendingSignOut = {
  pending: true,
  storage: 'memory',
  message: 'signed out on this instance; Redis is told as soon as it answers again',
};

export function toCurrentView(session: Session): CurrentSessionView {
  return {
    handle: sessionHandle(session.id),
    userId: session.userId,
    data: session.data,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    storage: session.source,
  };
}

/** @param currentId the request's own session id, if any. */
export function toSummary(session: Session, currentId?: string): SessionSummary {
  return {
    handle: sessionHandle(session.id),
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    current: session.id === currentId,
  };
}
