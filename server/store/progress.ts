// Progress as the rest of the server speaks of it: sessions started and ended, checks passed
// or failed with the hint given, "Show me" recorded as revealed. It turns sessions and
// verdicts into store rows and store rows into what the page shows.
import { EventEmitter } from 'node:events';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { exerciseUnavailable } from '../catalogue/availability.ts';
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { CheckResult, ExportRow, ProgressView } from '../protocol/api-types.ts';
import { log } from '../log.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionObserver } from '../sessions/session-observer.ts';
import { labProgress } from './lab-progress.ts';
import { exportRows } from './progress-export.ts';
import type { LabRecord, ProgressStore, Verdict } from './progress-store.ts';

/**
 * Learners whose ids start with this are the server testing itself (preflight): their
 * sessions and checks are no learner's progress, so they are never recorded.
 */
export const PREFLIGHT_LEARNER_PREFIX = 'nslab-preflight';

export function isPreflightLearner(learner: string): boolean {
  return learner.startsWith(PREFLIGHT_LEARNER_PREFIX);
}

function recorded(session: Session): boolean {
  return !isPreflightLearner(session.learner);
}

export class Progress implements SessionObserver {
  /** Emits 'change' after every recorded start, end, attempt and name: the roster listens. */
  readonly changes = new EventEmitter();

  constructor(
    private readonly store: ProgressStore,
    private readonly catalogue: Catalogue,
    /** Whether a lab can run on this server (host and mode), for the suggestions. */
    private readonly available: (labId: string) => boolean,
    /** The labs offered and their order (the path the suggestions follow); all by default. */
    private readonly offered: () => readonly string[] = () => catalogue.all().map((l) => l.id),
    /** What decides which exercises run (availability.ts): a lab is done without the rest. */
    private readonly here?: { facts: EngineFacts; mode: ServerMode },
  ) {}

  started(session: Session): void {
    if (!recorded(session)) return;
    this.write('session start', () =>
      this.store.sessionStarted({
        id: session.id,
        learnerId: session.learner,
        labId: session.lab.id,
        fromPool: session.fromPool,
      }),
    );
  }

  ended(session: Session, reason: string): void {
    if (!recorded(session)) return;
    this.write('session end', () => this.store.sessionEnded(session.id, reason));
  }

  /** Stores the name a workshop learner gave (already checked against DISPLAY_NAME_PATTERN). */
  named(learner: string, displayName: string): void {
    this.store.ensureLearner(learner, displayName);
    this.changes.emit('change');
  }

  displayName(learner: string): string | undefined {
    return this.store.displayName(learner);
  }

  /** What the control room's roster is built from, read in one go. */
  rosterFacts(): {
    learners: { id: string; displayName: string | undefined }[];
    lastAttempts: Map<string, { labId: string; exerciseId: string }>;
    totals: { labId: string; exerciseId: string; passed: number; stuck: number }[];
    records: (learner: string) => Map<string, LabRecord>;
  } {
    return {
      learners: this.store.learners(),
      lastAttempts: this.store.lastAttempts(),
      totals: this.store.exerciseTotals(),
      records: (learner) => this.store.labRecords(learner),
    };
  }

  /** Every learner's record per exercise, for the instructor's download. */
  exportRows(): ExportRow[] {
    return exportRows(this.store);
  }

  checked(session: Session, result: CheckResult): void {
    this.attempt(
      session,
      result.exerciseId,
      result.passed ? 'passed' : 'failed',
      result.hint?.index,
    );
  }

  revealed(session: Session, exerciseId: string): void {
    this.attempt(session, exerciseId, 'revealed');
  }

  /** A hint the learner asked for with the Hint button. */
  hintGiven(session: Session, exerciseId: string, hintIndex: number): void {
    this.write('hint', () =>
      this.store.recordHint({
        sessionId: session.id,
        learnerId: session.learner,
        labId: session.lab.id,
        exerciseId,
        hintIndex,
      }),
    );
  }

  /** The hints this learner was shown in this lab, by exercise, over all their sessions of it. */
  hintsShown(learner: string, labId: string): Map<string, Set<number>> {
    return this.store.hintsShown(learner, labId);
  }

  /** What this learner passed and revealed in this lab, over all their sessions of it. */
  ofLab(learner: string, labId: string): { passed: string[]; revealed: string[] } {
    const record = this.store.labRecords(learner).get(labId);
    return { passed: record?.passed ?? [], revealed: record?.revealed ?? [] };
  }

  overview(learner: string): ProgressView {
    const labs = this.offered().flatMap((id) => this.catalogue.find(id) ?? []);
    const outline = labs.map((lab) => ({
      id: lab.id,
      exerciseIds: lab.exercises
        .filter((e) => {
          const here = this.here;
          return (
            here === undefined || exerciseUnavailable(lab, e, here.facts, here.mode) === undefined
          );
        })
        .map((e) => e.id),
      available: this.available(lab.id),
    }));
    return labProgress(outline, this.store.labRecords(learner));
  }

  private attempt(
    session: Session,
    exerciseId: string,
    verdict: Verdict,
    hintIndex?: number,
  ): void {
    if (!recorded(session)) return;
    this.write('attempt', () =>
      this.store.recordAttempt({
        sessionId: session.id,
        learnerId: session.learner,
        labId: session.lab.id,
        exerciseId,
        verdict,
        ...(hintIndex === undefined ? {} : { hintIndex }),
      }),
    );
  }

  /**
   * A write that fails at run time (the disk filled up) is logged loudly, and the learner
   * still gets the verdict: losing a record is bad, losing the answer to a click is worse.
   */
  private write(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      log.error(`recording progress failed (${what})`, { error: String(error) });
    }
    this.changes.emit('change');
  }
}
