// The control room's roster: every learner with their current lab and, in it, their last
// exercise, passes, hints, reveals and time; whether a browser is attached; and the room's
// totals per exercise. Pushed to subscribers (the Server-Sent Events stream) whenever progress records
// something, and on a short tick for what the store does not see (a browser attaching).
import type { Roster, RosterLearner } from '../protocol/api-types.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Progress } from '../store/progress.ts';
import { shownName } from '../store/progress-export.ts';

/** A pass reaches the control room within this (debounces a burst of writes into one push). */
const PUSH_DELAY_MS = 50;
/** Online/idle changes come from terminals, which the store never sees: checked this often. */
const TICK_MS = 1_000;

export type RosterListener = (roster: Roster) => void;

export class RosterFeed {
  private readonly listeners = new Set<RosterListener>();
  private pending: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  private lastSent = '';
  private readonly onChange = (): void => this.schedule();

  constructor(
    private readonly sessions: Pick<SessionManager, 'all'>,
    private readonly progress: Progress,
  ) {}

  snapshot(): Roster {
    const facts = this.progress.rosterFacts();
    const live = new Map<string, Session>();
    // The newest live session of each learner is the one the control room acts on.
    for (const session of this.sessions.all())
      if (!session.isEnded) live.set(session.learner, session);
    const learners = facts.learners.map((learner): RosterLearner => {
      const session = live.get(learner.id);
      const last = facts.lastAttempts.get(learner.id);
      const labId = session?.lab.id ?? last?.labId;
      // The counts are of the current lab: an earlier lab's passes say nothing of this one.
      const current = labId === undefined ? undefined : facts.records(learner.id).get(labId);
      return {
        learnerId: learner.id,
        displayName: shownName(learner.id, learner.displayName),
        ...(session === undefined ? {} : { sessionId: session.id }),
        terminals: session === undefined ? [] : [...session.containers.keys()],
        ...(labId === undefined ? {} : { labId }),
        ...(last !== undefined && last.labId === labId ? { exerciseId: last.exerciseId } : {}),
        passes: current?.passed.length ?? 0,
        hints: current?.hints ?? 0,
        reveals: current?.revealed.length ?? 0,
        msInLab: current?.msSpent ?? 0,
        online: session?.anyTerminalAttached() ?? false,
      };
    });
    return { learners, totals: facts.totals, at: Date.now() };
  }

  /** Sends the roster now and on every change until the returned function is called. */
  subscribe(listener: RosterListener): () => void {
    if (this.listeners.size === 0) this.start();
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    this.progress.changes.on('change', this.onChange);
    this.tick = setInterval(() => this.push(false), TICK_MS);
    this.tick.unref();
  }

  private stop(): void {
    this.progress.changes.off('change', this.onChange);
    clearInterval(this.tick);
    clearTimeout(this.pending);
    this.tick = undefined;
    this.pending = undefined;
  }

  private schedule(): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.push(true);
    }, PUSH_DELAY_MS);
  }

  /** The tick pushes only when something other than the clock changed. */
  private push(always: boolean): void {
    if (this.listeners.size === 0) return;
    const roster = this.snapshot();
    const key = JSON.stringify({ ...roster, at: 0, learners: roster.learners.map(withoutTime) });
    if (!always && key === this.lastSent) return;
    this.lastSent = key;
    for (const listener of this.listeners) listener(roster);
  }
}

function withoutTime(learner: RosterLearner): Omit<RosterLearner, 'msInLab'> {
  const { msInLab: _ignored, ...rest } = learner;
  return rest;
}
