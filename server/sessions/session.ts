// A learner's session: the containers, networks and volumes created for one lab, their
// terminals, and the clock that ends it. Ending a session removes everything it created.
import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '../docker/container-client.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import type { EngineHandle } from '../docker/session-engine.ts';
import type { HostDisk } from '../host/host-disk.ts';
import {
  namedCgroupsMountedBy,
  releaseNamedHierarchy,
  sweepNamedHierarchies,
} from '../host/named-cgroups.ts';
import type { SessionFiles } from '../host/session-files.ts';
import type { ContainerPlan } from '../plans/container-plan.ts';
import type { NetworkPlan } from '../plans/network-plan.ts';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { log } from '../log.ts';
import type { ServerControl } from '../protocol/terminal-messages.ts';
import type { Terminal } from '../terminal/terminal.ts';
import type { SessionClock } from './session-clock.ts';

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A per-session secret for labs that plant something to find (never sent to the browser). */
export function newSessionToken(): string {
  return randomBytes(8).toString('hex');
}

export interface SessionContainer {
  plan: ContainerPlan;
  id: string;
  /** The engine this container runs on. */
  client: ContainerClient;
  /** Absent for helper containers the learner does not type into. */
  terminal: Terminal | undefined;
}

export interface SessionParts {
  id: string;
  token: string;
  instance: string;
  lab: LabDefinition;
  containers: ReadonlyMap<string, SessionContainer>;
  networks: readonly NetworkPlan[];
  /** The session's own host directory (planted host files live here). */
  dir: string;
  /** Who started it: only they may reach it. */
  learner: string;
  clock: SessionClock;
  /** The session's own throwaway Docker engines (LabDefinition.sessionEngines), by name. */
  engines: ReadonlyMap<string, EngineHandle>;
  /** The session's own disk on a loop device, for labs with LabDefinition.hostDisk. */
  disk?: HostDisk;
}

export class Session implements AsyncDisposable {
  private ended = false;
  private graceTimer: NodeJS.Timeout | undefined;
  readonly createdAt = Date.now();
  readonly id: string;
  readonly token: string;
  readonly lab: LabDefinition;
  readonly containers: ReadonlyMap<string, SessionContainer>;
  readonly networks: readonly NetworkPlan[];
  readonly dir: string;
  readonly learner: string;
  readonly clock: SessionClock;
  readonly engines: ReadonlyMap<string, EngineHandle>;
  readonly disk: HostDisk | undefined;
  private readonly instance: string;

  constructor(
    parts: SessionParts,
    private readonly resources: SessionResources,
    private readonly files: SessionFiles,
  ) {
    this.dir = parts.dir;
    this.learner = parts.learner;
    this.clock = parts.clock;
    this.id = parts.id;
    this.token = parts.token;
    this.lab = parts.lab;
    this.containers = parts.containers;
    this.networks = parts.networks;
    this.instance = parts.instance;
    this.engines = parts.engines;
    this.disk = parts.disk;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  containerIds(): Map<string, string> {
    return new Map([...this.containers].map(([name, c]) => [name, c.id]));
  }

  /** The clock as the browser sees it. */
  status(): ServerControl {
    return {
      type: 'status',
      endsAt: this.clock.endsAt,
      idleEndsAt: this.clock.idleEndsAt,
      canExtend: this.clock.canExtend,
      now: Date.now(),
    };
  }

  /** Sends a control message to every attached terminal of this session. */
  broadcast(message: ServerControl): void {
    for (const container of this.containers.values()) container.terminal?.notify(message);
  }

  /** The lab container with this engine id, if it belongs to this session. */
  containerById(id: string): SessionContainer | undefined {
    return [...this.containers.values()].find((c) => c.id === id);
  }

  terminal(name: string): Terminal | undefined {
    return this.containers.get(name)?.terminal;
  }

  anyTerminalAttached(): boolean {
    return [...this.containers.values()].some((c) => c.terminal?.attached === true);
  }

  /** Ends the session after `ms` unless a terminal attaches again first. */
  scheduleEnd(ms: number, end: () => void): void {
    this.cancelScheduledEnd();
    this.graceTimer = setTimeout(end, ms);
  }

  cancelScheduledEnd(): void {
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  async end(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.cancelScheduledEnd();
    log.info('session ending', { session: this.id, lab: this.lab.id, reason });
    for (const container of this.containers.values())
      container.terminal?.dispose(`The session ended: ${reason}.`);
    // An escape lab's containers may have mounted cgroup v1 hierarchies (release_agent):
    // note them while the containers still run, release them once nothing mounts them.
    const hierarchies = this.lab.escape === true ? await this.mountedCgroupHierarchies() : [];
    await Promise.all([...this.containers.values()].map((c) => c.client.remove(c.id)));
    await Promise.all(
      [...this.engines.values()].map((engine) =>
        engine
          .stop()
          .catch((error: unknown) =>
            log.error('stopping a session engine failed', { session: this.id, error }),
          ),
      ),
    );
    await this.disk
      ?.detach()
      .catch((error: unknown) =>
        log.error('detaching the session disk failed', { session: this.id, error }),
      );
    for (const name of hierarchies) {
      if (!(await releaseNamedHierarchy(name)))
        log.warn('a cgroup hierarchy an escape lab mounted is still there', { name });
    }
    // One the learner unmounted is no longer in any container's mounts: the lesson has them
    // name it nslab-..., and orphans of that name go too.
    if (this.lab.escape === true) await sweepNamedHierarchies();
    // Networks, volumes and planted files can go only once no container uses them.
    await this.resources.removeAll(this.instance, this.id);
    await this.files.remove(this.dir);
  }

  private async mountedCgroupHierarchies(): Promise<string[]> {
    try {
      const pids = await Promise.all(
        [...this.containers.values()].map((c) => c.client.hostPids(c.id).catch(() => [])),
      );
      return [...(await namedCgroupsMountedBy(pids.flat()))];
    } catch (error) {
      log.warn('listing the cgroup hierarchies of an escape lab failed', { error: String(error) });
      return [];
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.end('disposed');
  }
}
