// Who hears about sessions starting and ending besides the manager: the progress store
// (and later the control room). The manager calls it; it never decides anything.
import type { Session } from './session.ts';

export interface SessionObserver {
  started(session: Session): void;
  ended(session: Session, reason: string): void;
}
