// When a session ends: after an absolute lifetime (extendable a few times while quota
// allows) or after a stretch without keystrokes, whichever comes first. Pure arithmetic
// on an injected clock so it can be tested without waiting.

export interface ClockPolicy {
  /** Absolute lifetime of a session, before extensions. */
  lifetimeMs: number;
  /** A session with no keystrokes for this long ends. */
  idleMs: number;
  /** Each extension adds this much to the lifetime... */
  extendMs: number;
  /** ...this many times at most. */
  maxExtensions: number;
}

/** Workshop-friendly defaults: a 90-minute slot, 20 idle minutes, two 30-minute extensions. */
export const DEFAULT_CLOCK_POLICY: ClockPolicy = {
  lifetimeMs: 90 * 60_000,
  idleMs: 20 * 60_000,
  extendMs: 30 * 60_000,
  maxExtensions: 2,
};

export type EndReason = 'lifetime' | 'idle';

export class SessionClock {
  private endsAtMs: number;
  private lastActivityMs: number;
  private extensions = 0;

  constructor(
    private readonly policy: ClockPolicy,
    private readonly now: () => number = Date.now,
  ) {
    const start = now();
    this.endsAtMs = start + policy.lifetimeMs;
    this.lastActivityMs = start;
  }

  get endsAt(): number {
    return this.endsAtMs;
  }

  get idleEndsAt(): number {
    return this.lastActivityMs + this.policy.idleMs;
  }

  get idleMs(): number {
    return this.policy.idleMs;
  }

  get canExtend(): boolean {
    return this.extensions < this.policy.maxExtensions;
  }

  touch(): void {
    this.lastActivityMs = this.now();
  }

  /** Adds one extension; false when the quota is used up. Also counts as activity. */
  extend(): boolean {
    if (!this.canExtend) return false;
    this.extensions += 1;
    this.endsAtMs += this.policy.extendMs;
    this.touch();
    return true;
  }

  /** Why the session is over, or undefined while it is not. */
  expired(): EndReason | undefined {
    const now = this.now();
    if (now >= this.endsAtMs) return 'lifetime';
    if (now >= this.idleEndsAt) return 'idle';
    return undefined;
  }
}
