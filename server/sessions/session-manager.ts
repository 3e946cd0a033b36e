// Creates, finds and ends sessions. The manager is the only place that turns a lab id into
// containers, so every container carries the platform's labels and limits and belongs to a
// session that will remove it.
import type { Engines } from '../docker/engines.ts';
import { sessionLabels } from '../docker/labels.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import { AppError } from '../errors/app-error.ts';
import type { Catalogue } from '../labs/catalogue.ts';
import {
  planContainer,
  planNetwork,
  resourceName,
  type ContainerPlan,
  type HostFacts,
} from '../labs/container-plan.ts';
import type { ContainerProfile, LabDefinition } from '../labs/lab-definition.ts';
import { log } from '../log.ts';
import { SESSION_ID_PATTERN } from '../protocol/api-types.ts';
import { Terminal } from '../terminal/terminal.ts';
import { newSessionId, newSessionToken, Session, type SessionContainer } from './session.ts';
import type { SessionFiles } from './session-files.ts';

export interface SessionManagerOptions {
  instance: string;
  image: string;
  graceMs: number;
  maxSessions: number;
  hostFacts: HostFacts;
}

function dependsOnPeer(profile: ContainerProfile): boolean {
  return typeof profile.ipcMode === 'object' || typeof profile.pidMode === 'object';
}

export class SessionManager implements AsyncDisposable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly engines: Engines,
    private readonly resources: SessionResources,
    private readonly files: SessionFiles,
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
    const token = newSessionToken();
    const { instance } = this.options;
    const started = new Map<string, SessionContainer>();
    const dir = this.files.dirOf(instance, id);
    try {
      await this.files.plant(dir, lab.hostFiles ?? [], token);
      const networks = (lab.networks ?? []).map((n) =>
        planNetwork(n, { instance, sessionId: id, labId: lab.id }),
      );
      await Promise.all(networks.map((n) => this.resources.createNetwork(n)));
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
        }),
      }));
      // Containers that join a peer's namespace (--ipc/--pid container:x) start after the peers.
      for (const wave of [
        plans.filter((p) => !dependsOnPeer(p.profile)),
        plans.filter((p) => dependsOnPeer(p.profile)),
      ]) {
        await this.startAll(
          wave.map((p) => p.plan),
          started,
        );
      }
      if (lab.setup !== undefined) await this.runSetup(lab, token, started);
      // Terminal tabs follow the lab's order, not the order the engine finished in.
      const ordered = new Map(
        lab.containers.flatMap((p) => {
          const c = started.get(p.name);
          return c === undefined ? [] : [[p.name, c] as const];
        }),
      );
      const session = new Session(
        { id, token, instance, lab, containers: ordered, networks, dir },
        this.resources,
        this.files,
      );
      this.sessions.set(id, session);
      // A session nobody connects to must not live forever.
      this.scheduleEnd(session);
      log.info('session started', { session: id, lab: lab.id });
      return session;
    } catch (error) {
      // Clean up on the failure path: nothing of a half-made session stays on the engine.
      await Promise.all([...started.values()].map((c) => c.client.remove(c.id)));
      await Promise.all([this.resources.removeAll(instance, id), this.files.remove(dir)]).catch(
        (cleanup: unknown) => log.error('cleanup failed', { session: id, error: cleanup }),
      );
      if (error instanceof AppError) throw error;
      throw new AppError(
        'engine_unavailable',
        'The lab could not be started. Is the Docker engine running?',
        { cause: error },
      );
    }
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

  private async startAll(
    plans: ContainerPlan[],
    started: Map<string, SessionContainer>,
  ): Promise<void> {
    const results = await Promise.allSettled(
      plans.map(async (plan) => {
        const client = this.engines.get(plan.engine);
        const containerId = await client.createAndStart(plan);
        started.set(plan.name, {
          plan,
          id: containerId,
          client,
          terminal: plan.terminal ? new Terminal(plan.name, containerId, client) : undefined,
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
