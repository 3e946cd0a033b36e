// The undo half of provisioning. Each step that made something pushes how to unmake it; a
// teardown runs those in reverse, so what was made last goes first (containers before the
// networks they use, the session directory last). A failed start, `end`, `reset` and the
// sweep all take this one path, so nothing a session made can outlive it by a forgotten
// branch of clean-up code.
import { log } from '../log.ts';

export interface Undo {
  /** The step that pushed it: the log names it when it fails. */
  step: string;
  run(): Promise<void>;
}

export class Teardown {
  private readonly undos: Undo[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly sessionId: string) {}

  push(step: string, run: () => Promise<void>): void {
    if (this.running !== undefined) throw new Error(`teardown of ${this.sessionId} already ran`);
    this.undos.push({ step, run });
  }

  /** Steps recorded so far, first made first: what a log or a test reads. */
  get steps(): string[] {
    return this.undos.map((u) => u.step);
  }

  /**
   * Undoes every step, last first. One failing undo is logged and the rest still run: a
   * network that would not go must not keep the session's directory on disk. Running it
   * twice returns the first run.
   */
  run(): Promise<void> {
    this.running ??= this.undoAll();
    return this.running;
  }

  private async undoAll(): Promise<void> {
    for (const undo of [...this.undos].reverse()) {
      try {
        await undo.run();
      } catch (error) {
        log.error('undoing a provisioning step failed', {
          session: this.sessionId,
          step: undo.step,
          error,
        });
      }
    }
  }
}
