// What a learner saw, with times: every control message and the close of one terminal,
// stamped relative to the moment a fault was injected.
import type { ServerControl } from '../../server/protocol/terminal-messages.ts';
import type { TerminalDriver } from '../../server/verify/terminal-driver.ts';

export interface Seen {
  atMs: number;
  what: string;
}

export function describeControl(control: ServerControl): string {
  switch (control.type) {
    case 'notice':
      return `notice(${control.level}): ${control.message}`;
    case 'exit':
      return `exit(code ${String(control.code)}): ${control.reason}`;
    case 'error':
      return `error: ${control.message}`;
    case 'ready':
      return `ready(${control.terminal}, replayed=${control.replayed})`;
    case 'status':
      return `status(ends in ${Math.round((control.endsAt - control.now) / 1000)} s)`;
    case 'pong':
      return 'pong';
    case 'watched':
      return `watched(${control.watching})`;
    case 'replaced':
      return `replaced(${control.sessionId})`;
  }
}

/** Follows one terminal from now on; `t0` is reset when the fault is injected. */
export class Timeline {
  readonly seen: Seen[] = [];
  private t0 = performance.now();
  private next: number;
  private closeSeen = false;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly driver: TerminalDriver,
    private readonly label = '',
  ) {
    // Only what arrives from now on: the controls of the attach are not part of the fault.
    this.next = driver.controls.length;
    this.done = this.follow();
  }

  /** Marks the moment of the fault: later entries are timed from here. */
  mark(): void {
    this.t0 = performance.now();
  }

  get closed(): boolean {
    return this.closeSeen;
  }

  /** Milliseconds from the mark to the first entry matching `pattern`, if any. */
  firstAt(pattern: RegExp): number | undefined {
    return this.seen.find((s) => pattern.test(s.what))?.atMs;
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const at = this.firstAt(pattern);
      if (at !== undefined) return at;
      if (performance.now() > deadline)
        throw new Error(
          `no ${pattern.source} within ${timeoutMs} ms; the learner saw: ${this.lines().join(' | ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  lines(): string[] {
    return this.seen.map((s) => `${this.label}+${(s.atMs / 1000).toFixed(2)} s ${s.what}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private collect(): void {
    const now = performance.now() - this.t0;
    const controls = this.driver.controls;
    for (; this.next < controls.length; this.next++) {
      const control = controls[this.next];
      if (control !== undefined && control.type !== 'pong')
        this.seen.push({ atMs: now, what: describeControl(control) });
    }
    const close = this.driver.closeInfo;
    if (close !== undefined && !this.closeSeen) {
      this.closeSeen = true;
      this.seen.push({
        atMs: now,
        what: `close ${close.code}${close.reason === '' ? '' : ` "${close.reason}"`}`,
      });
    }
  }

  private async follow(): Promise<void> {
    while (!this.stopped && !this.closeSeen) {
      try {
        await this.driver.waitFor(
          () =>
            this.stopped ||
            this.driver.controls.length > this.next ||
            this.driver.closeInfo !== undefined,
          'a control message',
          250,
        );
      } catch {
        // A timeout (nothing new) or the socket closed: collect below either way.
      }
      this.collect();
    }
  }
}
