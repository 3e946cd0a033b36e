// A learner's session: a provisioned lab (containers, networks, engines, files) that one
// learner holds, its terminals, and the clock that ends it. Ending it runs the provisioning
// teardown, which removes everything the session made.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import type { SessionDockerd } from '../docker/session-dockerd.ts';
import type { HostDisk } from '../host/host-disk.ts';
import { log } from '../log.ts';
import type { NetworkPlan } from '../plans/network-plan.ts';
import { render, type ServerMessage } from '../errors/server-message.ts';
import type { ServerControl } from '../protocol/terminal-messages.ts';
import type { SessionContainer, SessionDraft } from '../provisioning/session-draft.ts';
import type { Teardown } from '../provisioning/teardown.ts';
import type { OutgoingControl } from '../terminal/socket-lang.ts';
import type { Terminal } from '../terminal/terminal.ts';
import { END_REASONS, SESSION_ENDED } from './end-reasons.ts';
import type { SessionClock } from './session-clock.ts';

export type { SessionContainer } from '../provisioning/session-draft.ts';

export class Session implements AsyncDisposable {
  private ended = false;
  private graceTimer: NodeJS.Timeout | undefined;
  readonly createdAt = Date.now();
  readonly id: string;
  readonly token: string;
  readonly lab: LabDefinition;
  /** In the lab's order (terminal tabs follow it), not the order the engine finished in. */
  private readonly ordered: Map<string, SessionContainer>;
  /** The draft's own map, which the teardown removes: a replaced container must leave it too. */
  private readonly made: Map<string, SessionContainer>;
  readonly networks: readonly NetworkPlan[];
  /** The session's own host directory (planted host files live here). */
  readonly dir: string;
  /** The session's own throwaway Docker engines (LabDefinition.sessionEngines), by name. */
  readonly dockerds: ReadonlyMap<string, SessionDockerd>;
  readonly disk: HostDisk | undefined;
  private readonly teardown: Teardown;

  constructor(
    draft: SessionDraft,
    /** Who holds it: only they may reach it. */
    readonly learner: string,
    readonly clock: SessionClock,
    /** Taken from the warm pool (made before the click) rather than provisioned for it. */
    readonly fromPool = false,
  ) {
    this.id = draft.id;
    this.token = draft.token;
    this.lab = draft.lab;
    this.made = draft.containers;
    this.ordered = new Map(
      draft.lab.containers.flatMap((p) => {
        const c = draft.containers.get(p.name);
        return c === undefined ? [] : [[p.name, c] as const];
      }),
    );
    this.networks = draft.networks;
    this.dir = draft.dir;
    this.dockerds = draft.dockerds;
    this.disk = draft.disk;
    this.teardown = draft.teardown;
    // From now on a keystroke in any of its terminals keeps this learner's session alive.
    draft.onActivity = () => clock.touch();
  }

  get containers(): ReadonlyMap<string, SessionContainer> {
    return this.ordered;
  }

  /**
   * The profile playground's: `next` takes over the name (its tab, its inspector, its checks)
   * and the teardown now removes it instead. The caller removes the previous one it returns,
   * after this, so the engine's "destroy" for it no longer matches the session.
   */
  replaceContainer(name: string, next: SessionContainer): SessionContainer | undefined {
    const previous = this.ordered.get(name);
    this.ordered.set(name, next);
    this.made.set(name, next);
    return previous;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The clock as the browser sees it. */
  status(): Extract<ServerControl, { type: 'status' }> {
    return {
      type: 'status',
      endsAt: this.clock.endsAt,
      idleEndsAt: this.clock.idleEndsAt,
      canExtend: this.clock.canExtend,
      now: Date.now(),
    };
  }

  /** Sends a control message to every attached terminal of this session. */
  broadcast(message: OutgoingControl): void {
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

  async end(reason: ServerMessage): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.cancelScheduledEnd();
    log.info('session ending', {
      session: this.id,
      lab: this.lab.id,
      reason: render(reason, 'en'),
    });
    // The learner hears why before the containers go; the teardown's own dispose is then a no-op.
    for (const container of this.containers.values())
      container.terminal?.dispose(SESSION_ENDED({ reason }));
    await this.teardown.run();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.end(END_REASONS.disposed());
  }
}
