// Creates, finds and ends sessions. The manager is the only place that turns a lab id into
// containers, so every container carries the platform's labels and limits and belongs to a
// session that will remove it. It also keeps each session's clock (lifetime, idle time)
// and tells learners, in words, when something ends or dies.
import type { Engines } from '../docker/engines.ts';
import type { ContainerEvent } from '../docker/engine-events.ts';
import { sessionLabels } from '../docker/labels.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import type { SeatSessionEngine, Seats } from '../docker/seats.ts';
import { relaySocket } from '../docker/socket-relay.ts';
import type { EngineHandle, SessionEngines } from '../docker/session-engine.ts';
import type { ServerMode } from '../config.ts';
import { labUnavailable } from '../catalogue/availability.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import { createHostDisk, type HostDisk } from '../host/host-disk.ts';
import { AppError } from '../errors/app-error.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { planContainer, type ContainerPlan } from '../plans/container-plan.ts';
import { planNetwork } from '../plans/network-plan.ts';
import { resourceName, SESSION_ENGINE_SOCKET } from '../plans/resource-names.ts';
import { sessionPath } from '../host/session-path.ts';
import type {
  ContainerProfile,
  LabDefinition,
  SessionEngineSpec,
} from '../catalogue/lab-definition.ts';
import { log } from '../log.ts';
import { containerCreateOptions, networkCreateOptions } from '../plans/create-options.ts';
import { SESSION_ID_PATTERN } from '../protocol/api-types.ts';
import { Terminal } from '../terminal/terminal.ts';
import { SessionClock, type ClockPolicy } from './session-clock.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { newSessionId, newSessionToken, Session, type SessionContainer } from './session.ts';

export interface SessionManagerOptions {
  instance: string;
  image: string;
  graceMs: number;
  /** Sessions on this server in all. */
  maxSessions: number;
  /** Live sessions one learner may hold at once. */
  maxSessionsPerLearner: number;
  clock: ClockPolicy;
  hostFacts: EngineFacts;
  /** Starts the per-session engines of labs with LabDefinition.sessionEngines. */
  sessionEngines?: SessionEngines;
  /** solo, or workshop: escape labs then run on seats, or not at all (LabDefinition.workshop). */
  mode?: ServerMode;
  /** Workshop mode's seat engines. */
  seats?: Seats;
}

/** How often expiry is checked: the learner hears about an ended session within this. */
const EXPIRY_CHECK_MS = 1_000;

function dependsOnPeer(profile: ContainerProfile): boolean {
  return typeof profile.ipcMode === 'object' || typeof profile.pidMode === 'object';
}

export class SessionManager implements AsyncDisposable {
  private readonly sessions = new Map<string, Session>();
  /** Sessions being created, by id -> learner: they count against the caps already. */
  private readonly starting = new Map<string, string>();
  private readonly expiryTimer: NodeJS.Timeout;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly engines: Engines,
    private readonly resources: SessionResources,
    private readonly files: SessionFiles,
    private readonly options: SessionManagerOptions,
  ) {
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
    const lab = this.catalogue.find(labId);
    if (lab === undefined) throw new AppError('not_found', `There is no lab called "${labId}".`);
    const unavailable = labUnavailable(lab, this.options.hostFacts, this.mode);
    if (unavailable !== undefined) throw new AppError('conflict', unavailable);
    const onSeat = this.mode === 'workshop' && lab.workshop === 'seat-engine';
    if (onSeat && this.all().some((s) => s.learner === learner && s.lab.workshop === 'seat-engine'))
      throw new AppError(
        'conflict',
        'You already have an escape lab open on your seat. End it before starting another.',
      );
    if (this.sessions.size + this.starting.size >= this.options.maxSessions) {
      throw new AppError(
        'conflict',
        `This server already runs ${this.options.maxSessions} sessions; try again later.`,
      );
    }
    const mine =
      this.all().filter((s) => s.learner === learner).length +
      [...this.starting.values()].filter((l) => l === learner).length;
    if (mine >= this.options.maxSessionsPerLearner) {
      throw new AppError(
        'conflict',
        `You already have ${mine} labs open, the most one learner may have at once. End one ("End session") and start again.`,
      );
    }
    const id = newSessionId();
    const token = newSessionToken();
    const { instance } = this.options;
    const started = new Map<string, SessionContainer>();
    const dir = this.files.dirOf(instance, id);
    const engines = new Map<string, EngineHandle>();
    let seat: SeatSessionEngine | undefined;
    let disk: HostDisk | undefined;
    // Reserve the slot now: concurrent requests must not all pass the caps above.
    this.starting.set(id, learner);
    try {
      if (onSeat) {
        if (this.options.seats === undefined)
          throw new AppError('engine_unavailable', 'This server has no workshop seats.');
        seat = await this.options.seats.engineFor(learner);
      }
      await this.files.plant(dir, lab.hostFiles ?? [], token, seat);
      if (seat !== undefined) {
        // The socket the lab mounts lives in the session directory, as a session engine's
        // does, and leads to the seat's engine.
        const relay = await relaySocket(
          sessionPath(dir, SESSION_ENGINE_SOCKET),
          seat.engine.socketPath,
        );
        const onSeatEngine = seat.engine;
        engines.set(onSeatEngine.name, {
          ...onSeatEngine,
          socketPath: relay.path,
          stop: async () => {
            await relay.close();
            await onSeatEngine.stop();
          },
        });
      }
      // On a seat, the seat's engine is the socket engine; no root engine is started.
      const engineSpecs = (lab.sessionEngines ?? []).filter((e) => !engines.has(e.name));
      const sessionEngines = this.options.sessionEngines;
      if (engineSpecs.length > 0 && sessionEngines === undefined)
        throw new AppError('engine_unavailable', 'This server cannot start session engines.');
      // An engine with a socket to mount starts before the containers; one that listens on
      // TCP joins a helper container's network namespace, so it starts after them.
      const startEngines = async (
        specs: readonly SessionEngineSpec[],
        netnsPid: (spec: SessionEngineSpec) => Promise<number | undefined>,
      ): Promise<void> => {
        if (sessionEngines === undefined) return;
        await Promise.all(
          specs.map(async (spec) => {
            engines.set(spec.name, await sessionEngines.start(id, dir, spec, await netnsPid(spec)));
          }),
        );
      };
      await startEngines(
        engineSpecs.filter((e) => e.listen === undefined),
        () => Promise.resolve(undefined),
      );
      if (lab.hostDisk !== undefined) disk = await createHostDisk(dir, lab.hostDisk, token);
      const networks = (lab.networks ?? []).map((n) =>
        planNetwork(n, { instance, sessionId: id, labId: lab.id }),
      );
      await Promise.all(networks.map((n) => this.resources.createNetwork(networkCreateOptions(n))));
      await Promise.all(
        (lab.volumes ?? []).map((name) =>
          this.resources.createVolume(
            resourceName(instance, id, name),
            sessionLabels({ instance, sessionId: id, labId: lab.id, container: name }),
          ),
        ),
      );
      const plans = lab.containers.map((profile) => ({
        profile,
        plan: planContainer({
          profile,
          image: this.options.image,
          instance,
          sessionId: id,
          sessionToken: token,
          labId: lab.id,
          hostFacts: this.options.hostFacts,
          sessionDir: dir,
          hostDisk: disk?.device,
        }),
      }));
      const clock = new SessionClock(this.options.clock);
      // Containers that join a peer's namespace (--ipc/--pid container:x) start after the peers.
      for (const wave of [
        plans.filter((p) => !dependsOnPeer(p.profile)),
        plans.filter((p) => dependsOnPeer(p.profile)),
      ]) {
        await this.startAll(
          wave.map((p) => p.plan),
          started,
          clock,
        );
      }
      await startEngines(
        engineSpecs.filter((e) => e.listen !== undefined),
        async (spec) => {
          const host = spec.listen === undefined ? undefined : started.get(spec.listen.container);
          if (host === undefined) return undefined;
          return (await host.client.inspect(host.id)).State.Pid;
        },
      );
      if (lab.setup !== undefined) await this.runSetup(lab, token, started);
      // Terminal tabs follow the lab's order, not the order the engine finished in.
      const ordered = new Map(
        lab.containers.flatMap((p) => {
          const c = started.get(p.name);
          return c === undefined ? [] : [[p.name, c] as const];
        }),
      );
      const session = new Session(
        {
          id,
          token,
          instance,
          lab,
          containers: ordered,
          networks,
          dir,
          learner,
          clock,
          engines,
          disk,
        },
        this.resources,
        this.files,
      );
      this.starting.delete(id);
      this.sessions.set(id, session);
      // A session nobody connects to must not live forever.
      this.scheduleEnd(session);
      log.info('session started', { session: id, lab: lab.id, learner });
      return session;
    } catch (error) {
      this.starting.delete(id);
      // Clean up on the failure path: nothing of a half-made session stays on the engine.
      await Promise.all([...started.values()].map((c) => c.client.remove(c.id)));
      await Promise.all(
        [...engines.values()].map((engine) =>
          engine
            .stop()
            .catch((cleanup: unknown) =>
              log.error('stopping a session engine failed', { session: id, error: cleanup }),
            ),
        ),
      );
      await disk
        ?.detach()
        .catch((cleanup: unknown) =>
          log.error('detaching the session disk failed', { session: id, error: cleanup }),
        );
      await Promise.all([this.resources.removeAll(instance, id), this.files.remove(dir)]).catch(
        (cleanup: unknown) => log.error('cleanup failed', { session: id, error: cleanup }),
      );
      if (error instanceof AppError) throw error;
      throw new AppError(
        'engine_unavailable',
        'The lab could not be started. Is the Docker engine running?',
        {
          cause: error,
        },
      );
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
      throw new AppError('not_found', 'This session has ended or never existed.');
    }
    return session;
  }

  extend(session: Session): void {
    if (!session.clock.extend()) {
      throw new AppError(
        'conflict',
        'This session cannot be extended any more; finish up or start the lab again.',
      );
    }
    session.broadcast(session.status());
  }

  /** Starts the same lab afresh for the same learner and ends the old session. */
  async reset(session: Session): Promise<Session> {
    await this.end(session.id, 'the learner reset the lab');
    return this.create(session.lab.id, session.learner);
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

  /**
   * An engine event about one of this instance's containers. A container that dies or is
   * removed behind the session's back is explained to the learner in words.
   */
  handleContainerEvent(event: ContainerEvent): void {
    const session = this.all().find((s) => !s.isEnded && s.containerById(event.id) !== undefined);
    const container = session?.containerById(event.id);
    if (session === undefined || container === undefined) return;
    const name = container.plan.name;
    switch (event.action) {
      case 'oom':
        session.broadcast({
          type: 'notice',
          level: 'warn',
          message: `The kernel's OOM killer killed a process in "${name}": it hit its ${container.plan.memoryMb} MiB memory limit.`,
        });
        return;
      case 'die': {
        const code = event.exitCode === undefined ? '' : ` (exit code ${event.exitCode})`;
        container.terminal?.notify({
          type: 'notice',
          level: 'error',
          message: `The container "${name}" stopped${code}. Use "Reset lab" to start it again.`,
        });
        return;
      }
      case 'destroy':
        void this.end(session.id, `its container "${name}" was removed outside nslab`).catch(
          (error: unknown) =>
            log.error('ending a session after its container vanished failed', {
              session: session.id,
              error,
            }),
        );
        return;
      default: {
        const unhandled: never = event.action;
        log.debug('ignored container event', { action: String(unhandled) });
      }
    }
  }

  /** After the engine comes back (dockerd restart): end sessions whose containers are gone. */
  async reconcile(): Promise<void> {
    for (const session of this.all()) {
      if (session.isEnded) continue;
      for (const container of session.containers.values()) {
        try {
          const info = await container.client.inspect(container.id);
          if (!info.State.Running) {
            container.terminal?.notify({
              type: 'notice',
              level: 'error',
              message: `The Docker engine restarted and "${container.plan.name}" stopped. Use "Reset lab" to start afresh.`,
            });
          }
        } catch {
          await this.end(session.id, 'the Docker engine lost its containers');
          break;
        }
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.expiryTimer);
    await this.endAll('server stopping');
  }

  stopTimers(): void {
    clearInterval(this.expiryTimer);
  }

  private endExpired(): void {
    for (const session of this.all()) {
      if (session.isEnded) continue;
      const why = session.clock.expired();
      if (why === undefined) continue;
      const reason = why === 'idle' ? 'nobody typed for a while (idle timeout)' : 'its time was up';
      void this.end(session.id, reason).catch((error: unknown) =>
        log.error('ending an expired session failed', { session: session.id, error }),
      );
    }
  }

  private async startAll(
    plans: ContainerPlan[],
    started: Map<string, SessionContainer>,
    clock: SessionClock,
  ): Promise<void> {
    const results = await Promise.allSettled(
      plans.map(async (plan) => {
        const client = this.engines.get(plan.engine);
        const containerId = await client.createAndStart(containerCreateOptions(plan));
        started.set(plan.name, {
          plan,
          id: containerId,
          client,
          terminal: plan.terminal
            ? new Terminal(plan.name, containerId, client, () => clock.touch())
            : undefined,
        });
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private async runSetup(
    lab: LabDefinition,
    token: string,
    started: ReadonlyMap<string, SessionContainer>,
  ): Promise<void> {
    await lab.setup?.({
      sessionToken: token,
      exec: async (container, cmd) => {
        const target = started.get(container);
        if (target === undefined)
          throw new Error(`lab "${lab.id}" set-up names unknown container "${container}"`);
        const result = await target.client.probe(target.id, cmd);
        if (result.exitCode !== 0)
          throw new Error(`lab "${lab.id}" set-up "${cmd.join(' ')}" failed: ${result.stderr}`);
        return { exitCode: result.exitCode, stdout: result.stdout };
      },
    });
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
