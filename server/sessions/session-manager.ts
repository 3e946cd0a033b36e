// Creates, finds and ends sessions. The manager is the only place that turns a lab id into
// containers, so every container carries the platform's labels and limits and belongs to a
// session that will remove it.
import type { ContainerClient } from '../docker/container-client.ts';
import { AppError } from '../errors/app-error.ts';
import type { Catalogue } from '../labs/catalogue.ts';
import { planContainer } from '../labs/container-plan.ts';
import { log } from '../log.ts';
import { SESSION_ID_PATTERN } from '../protocol/api-types.ts';
import { Terminal } from '../terminal/terminal.ts';
import { newSessionId, Session, type SessionContainer } from './session.ts';

export interface SessionManagerOptions {
  instance: string;
  image: string;
  graceMs: number;
  maxSessions: number;
}

export class SessionManager implements AsyncDisposable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly client: ContainerClient,
    private readonly options: SessionManagerOptions,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  async create(labId: string): Promise<Session> {
    const lab = this.catalogue.find(labId);
    if (lab === undefined) throw new AppError('not_found', `There is no lab called "${labId}".`);
    if (this.sessions.size >= this.options.maxSessions) {
      throw new AppError(
        'conflict',
        `This server already runs ${this.options.maxSessions} sessions; end one first.`,
      );
    }
    const id = newSessionId();
    const plans = lab.containers.map((profile) =>
      planContainer({
        profile,
        image: this.options.image,
        instance: this.options.instance,
        sessionId: id,
        labId: lab.id,
      }),
    );
    const started = await Promise.allSettled(plans.map((plan) => this.client.createAndStart(plan)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(
        started.flatMap((result) =>
          result.status === 'fulfilled' ? [this.client.remove(result.value)] : [],
        ),
      );
      throw new AppError(
        'engine_unavailable',
        'The lab could not be started. Is the Docker engine running?',
        {
          cause: failed.reason,
        },
      );
    }
    const containers = new Map<string, SessionContainer>();
    plans.forEach((plan, index) => {
      const result = started[index];
      if (result?.status !== 'fulfilled') return;
      containers.set(plan.name, {
        plan,
        id: result.value,
        terminal: new Terminal(plan.name, result.value, this.client),
      });
    });
    const session = new Session(id, lab, containers, this.client);
    this.sessions.set(id, session);
    // A session nobody connects to must not live forever.
    this.scheduleEnd(session);
    log.info('session started', { session: id, lab: lab.id });
    return session;
  }

  get(id: string): Session {
    const session = SESSION_ID_PATTERN.test(id) ? this.sessions.get(id) : undefined;
    if (session === undefined || session.isEnded)
      throw new AppError('not_found', 'This session has ended or never existed.');
    return session;
  }

  /** Called when a terminal detaches: the last one out starts the grace period. */
  terminalDetached(session: Session): void {
    if (!session.anyTerminalAttached()) this.scheduleEnd(session);
  }

  terminalAttached(session: Session): void {
    session.cancelScheduledEnd();
  }

  async end(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    await session.end(reason);
  }

  async endAll(reason: string): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, reason)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.endAll('server stopping');
  }

  private scheduleEnd(session: Session): void {
    session.scheduleEnd(this.options.graceMs, () => {
      void this.end(session.id, 'no terminal attached during the grace period').catch(
        (error: unknown) =>
          log.error('ending an idle session failed', { session: session.id, error }),
      );
    });
  }
}
