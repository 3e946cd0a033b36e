// Who hears about sessions starting and ending besides the manager: the progress store and
// the metrics. The manager calls it; it never decides anything.
import type { Session } from './session.ts';

export interface SessionObserver {
  /** `requestedAt`: performance.now() when the Start was asked for (before provisioning). */
  started(session: Session, requestedAt?: number): void;
  ended(session: Session, reason: string): void;
}

/** Tells each observer in turn. */
export function observers(...all: SessionObserver[]): SessionObserver {
  return {
    started: (session, requestedAt) => all.forEach((o) => o.started(session, requestedAt)),
    ended: (session, reason) => all.forEach((o) => o.ended(session, reason)),
  };
}
