// A learner's session: the containers created for one lab, their terminals, and the clock
// that ends it. Disposing a session removes everything it created.
import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '../docker/container-client.ts';
import type { LabDefinition } from '../labs/lab-definition.ts';
import type { ContainerPlan } from '../labs/container-plan.ts';
import { Terminal } from '../terminal/terminal.ts';
import { log } from '../log.ts';

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export interface SessionContainer {
  plan: ContainerPlan;
  id: string;
  terminal: Terminal;
}

export class Session implements AsyncDisposable {
  private ended = false;
  private graceTimer: NodeJS.Timeout | undefined;
  readonly createdAt = Date.now();

  constructor(
    readonly id: string,
    readonly lab: LabDefinition,
    readonly containers: ReadonlyMap<string, SessionContainer>,
    private readonly client: ContainerClient,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  containerIds(): Map<string, string> {
    return new Map([...this.containers].map(([name, c]) => [name, c.id]));
  }

  terminal(name: string): Terminal | undefined {
    return this.containers.get(name)?.terminal;
  }

  anyTerminalAttached(): boolean {
    return [...this.containers.values()].some((c) => c.terminal.attached);
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
      container.terminal.dispose(`The session ended: ${reason}.`);
    await Promise.all([...this.containers.values()].map((c) => this.client.remove(c.id)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.end('disposed');
  }
}
