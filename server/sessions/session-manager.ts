// Finds, starts and ends learners' sessions. Starting one is: admit (caps), provision (the
// pipeline in server/provisioning/, the only path from a lab id to containers, so every
// container carries the platform's labels and limits), then claim (the learner holds it and
// its clock starts). Ending one runs the teardown provisioning recorded.
import { NO_SUCH_LAB, type Catalogue } from '../catalogue/catalogue.ts';
import { labUnavailable } from '../catalogue/availability.ts';
import { everyLang } from '../catalogue/lab-text.ts';
import type { ServerMode } from '../config.ts';
import type { ContainerEvent } from '../docker/engine-events.ts';
import { AppError } from '../errors/app-error.ts';
import { message, relayed, render, type ServerMessage } from '../errors/server-message.ts';
import { END_REASONS } from './end-reasons.ts';
import { log } from '../log.ts';
import { SESSION_ID_PATTERN } from '../protocol/api-types.ts';
import { provisionSession } from '../provisioning/provision-session.ts';
import type { ProvisionDeps, SessionDraft } from '../provisioning/session-draft.ts';
import type { WarmPool } from '../pool/warm-pool.ts';
import { explainContainerEvent, reconcileAfterRestart } from './container-events.ts';
import { SessionAdmission, type AdmissionLimits } from './session-admission.ts';
import { SessionClock, type ClockPolicy } from './session-clock.ts';
import type { SessionObserver } from './session-observer.ts';
import { Session } from './session.ts';

const NO_SESSION = message(
  'no_such_session',
  'This session has ended or never existed.',
  '这个会话已经结束，或者从未存在。',
);
const NO_EXTENSION = message(
  'no_extension',
  'This session cannot be extended any more; finish up or start the lab again.',
  '这个会话不能再延长了；请收尾，或者重新开始这个实验。',
);

export interface SessionManagerOptions extends AdmissionLimits {
  graceMs: number;
  clock: ClockPolicy;
  /** solo, or workshop: escape labs then run on seats, or not at all (LabDefinition.workshop). */
  mode?: ServerMode;
  /** Sessions provisioned ahead of any learner; a Start takes one when the lab has one ready. */
  pool?: WarmPool;
  /** Told of every session that starts and ends (the progress store). */
  observer?: SessionObserver;
}

/** How often expiry is checked: the learner hears about an ended session within this. */
const EXPIRY_CHECK_MS = 1_000;

export class SessionManager implements AsyncDisposable {
  private readonly sessions = new Map<string, Session>();
  private readonly admission: SessionAdmission;
  private readonly expiryTimer: NodeJS.Timeout;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly provisioning: ProvisionDeps,
    private readonly options: SessionManagerOptions,
  ) {
    this.admission = new SessionAdmission(options);
    this.expiryTimer = setInterval(() => this.endExpired(), EXPIRY_CHECK_MS);
    this.expiryTimer.unref();
  }

  get mode(): ServerMode {
    return this.options.mode ?? 'solo';
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  async create(labId: string, learner: string): Promise<Session> {
    const requestedAt = performance.now();
    const lab = this.catalogue.find(labId);
    if (lab === undefined) throw new AppError('not_found', NO_SUCH_LAB({ lab: labId }));
    const unavailable = labUnavailable(lab, this.provisioning.hostFacts, this.mode);
    // The page shows why in the reader's language before Start (the catalogue's summaries).
    if (unavailable !== undefined)
      throw new AppError('conflict', relayed('lab_unavailable', everyLang(unavailable)));
    const onSeat = this.mode === 'workshop' && lab.workshop === 'seat-engine';
    const pool = this.options.pool;
    // A seat lab is made for its learner's seat, so the pool never holds one.
    const fromPool = !onSeat && pool !== undefined && pool.readyFor(lab.id) > 0;
    // At the cap with the pool holding slots: give one up so a learner's own start fits.
    if (!fromPool && pool !== undefined && !this.admission.hasRoom(this.size, pool.size))
      await pool.evictOne();
    // Reserve, then claim, with no await between: two clicks never get one pooled session.
    const release = this.admission.reserve({ learner, lab }, this.all(), {
      onSeat,
      fromPool,
      others: pool?.size ?? 0,
    });
    try {
      const pooled = fromPool ? pool.claim(lab.id) : undefined;
      if (pooled !== undefined) return this.claim(pooled, learner, 'pool', requestedAt);
      const draft = await provisionSession(
        { lab, seatOf: onSeat ? learner : undefined },
        this.provisioning,
      );
      return this.claim(draft, learner, 'fresh', requestedAt);
    } finally {
      release();
    }
  }

  /** The learner's own live session; anyone else's looks like one that never existed. */
  get(id: string, learner?: string): Session {
    const session = SESSION_ID_PATTERN.test(id) ? this.sessions.get(id) : undefined;
    if (
      session === undefined ||
      session.isEnded ||
      (learner !== undefined && session.learner !== learner)
    ) {
      throw new AppError('not_found', NO_SESSION());
    }
    return session;
  }

  extend(session: Session): void {
    if (!session.clock.extend()) {
      throw new AppError('conflict', NO_EXTENSION());
    }
    session.broadcast(session.status());
  }

  /** Starts the same lab afresh for the same learner and ends the old session. */
  async reset(session: Session): Promise<Session> {
    await this.end(session.id, END_REASONS.learnerReset());
    return this.create(session.lab.id, session.learner);
  }

  /**
   * The instructor's reset: the fresh session exists before the old one ends, so the old
   * one's terminals can tell the learner's page where their lab went.
   */
  async replace(session: Session, reason: ServerMessage): Promise<Session> {
    const fresh = await this.create(session.lab.id, session.learner);
    session.broadcast({ type: 'replaced', sessionId: fresh.id });
    await this.end(session.id, reason);
    return fresh;
  }

  /** Called when a terminal detaches: the last one out starts the grace period. */
  terminalDetached(session: Session): void {
    if (!session.anyTerminalAttached()) this.scheduleEnd(session);
  }

  terminalAttached(session: Session): void {
    session.cancelScheduledEnd();
  }

  async end(id: string, reason: ServerMessage): Promise<void> {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    // The store and the metrics keep the English words (end-reasons.ts says why).
    this.options.observer?.ended(session, render(reason, 'en'));
    await session.end(reason);
  }

  async endAll(reason: ServerMessage): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, reason)));
  }

  /** An engine event about one of this instance's containers, explained to its learner. */
  handleContainerEvent(event: ContainerEvent): void {
    this.options.pool?.handleContainerEvent(event);
    explainContainerEvent(this.all(), event, (id, reason) => this.end(id, reason));
  }

  /** After the engine comes back (dockerd restart): end sessions whose containers are gone. */
  reconcile(): Promise<void> {
    return reconcileAfterRestart(this.all(), (id, reason) => this.end(id, reason));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.expiryTimer);
    await this.endAll(END_REASONS.serverStopping());
  }

  stopTimers(): void {
    clearInterval(this.expiryTimer);
  }

  /** Hands a provisioned session to its learner: from here their clock runs. */
  private claim(
    draft: SessionDraft,
    learner: string,
    from: 'pool' | 'fresh',
    requestedAt: number,
  ): Session {
    const session = new Session(
      draft,
      learner,
      new SessionClock(this.options.clock),
      from === 'pool',
    );
    this.sessions.set(session.id, session);
    this.options.observer?.started(session, requestedAt);
    // A session nobody connects to must not live forever.
    this.scheduleEnd(session);
    log.info('session started', { session: session.id, lab: session.lab.id, learner, from });
    return session;
  }

  private endExpired(): void {
    for (const session of this.all()) {
      if (session.isEnded) continue;
      const why = session.clock.expired();
      if (why === undefined) continue;
      const reason = why === 'idle' ? END_REASONS.idle() : END_REASONS.expired();
      void this.end(session.id, reason).catch((error: unknown) =>
        log.error('ending an expired session failed', { session: session.id, error }),
      );
    }
  }

  private scheduleEnd(session: Session): void {
    session.scheduleEnd(this.options.graceMs, () => {
      void this.end(session.id, END_REASONS.grace()).catch((error: unknown) =>
        log.error('ending an idle session failed', { session: session.id, error }),
      );
    });
  }
}
