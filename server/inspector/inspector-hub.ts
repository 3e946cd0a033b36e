// Subscriptions to the inspector: a session is read about once a second while at least one
// page shows its panel, and not at all otherwise. Every subscriber of a session shares one
// reading (two tabs cost one), the next reading starts only after the last one finished (a
// slow engine never piles readings up), and the timer is unref'd so it never holds the
// server open.
import type { EngineFacts } from '../host/host-facts.ts';
import { log } from '../log.ts';
import { INSPECTOR_INTERVAL_MS, type InspectorSnapshot } from '../protocol/inspector-types.ts';
import { hostNamespaces, SessionReader, type InspectedContainer } from './inspect-session.ts';
import type { NamespaceLinks } from './process-view.ts';

/** What the hub needs of a session: Session has it. */
export interface InspectableSession {
  readonly id: string;
  readonly isEnded: boolean;
  inspectedContainers(): InspectedContainer[];
}

export type SnapshotListener = (snapshot: InspectorSnapshot | 'ended') => void;

interface Watch {
  session: InspectableSession;
  listeners: Set<SnapshotListener>;
  reader: SessionReader;
  timer?: NodeJS.Timeout;
  last?: InspectorSnapshot;
}

export class InspectorHub {
  private readonly watches = new Map<string, Watch>();
  private host: Promise<NamespaceLinks> | undefined;

  constructor(
    private readonly facts: EngineFacts,
    private readonly intervalMs = INSPECTOR_INTERVAL_MS,
  ) {}

  /** Sessions being read now (for tests and the bench). */
  get watched(): number {
    return this.watches.size;
  }

  /** Starts sending `listener` snapshots of the session; the returned function stops it. */
  subscribe(session: InspectableSession, listener: SnapshotListener): () => void {
    let watch = this.watches.get(session.id);
    if (watch === undefined) {
      this.host ??= hostNamespaces();
      watch = { session, listeners: new Set(), reader: new SessionReader(this.facts, this.host) };
      this.watches.set(session.id, watch);
      this.schedule(watch, 0);
    } else if (watch.last !== undefined) {
      // A second page sees the latest reading at once instead of waiting for the next.
      listener(watch.last);
    }
    watch.listeners.add(listener);
    const current = watch;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.stop(current);
    };
  }

  /** One reading now, outside any subscription (the API's one-off GET and tests). */
  async readOnce(session: InspectableSession): Promise<InspectorSnapshot> {
    this.host ??= hostNamespaces();
    return new SessionReader(this.facts, this.host).read(session.id, session.inspectedContainers());
  }

  stopAll(): void {
    for (const watch of [...this.watches.values()]) this.stop(watch);
  }

  private stop(watch: Watch): void {
    clearTimeout(watch.timer);
    watch.timer = undefined;
    if (this.watches.get(watch.session.id) === watch) this.watches.delete(watch.session.id);
  }

  private schedule(watch: Watch, delayMs: number): void {
    watch.timer = setTimeout(() => void this.tick(watch), delayMs);
    watch.timer.unref();
  }

  private async tick(watch: Watch): Promise<void> {
    if (watch.session.isEnded) {
      for (const listener of [...watch.listeners]) listener('ended');
      this.stop(watch);
      return;
    }
    const started = performance.now();
    try {
      const snapshot = await watch.reader.read(
        watch.session.id,
        watch.session.inspectedContainers(),
      );
      watch.last = snapshot;
      for (const listener of [...watch.listeners]) listener(snapshot);
    } catch (error) {
      log.warn('inspector reading failed', { session: watch.session.id, error: String(error) });
    }
    if (this.watches.get(watch.session.id) !== watch) return;
    const spent = performance.now() - started;
    this.schedule(watch, Math.max(0, this.intervalMs - spent));
  }
}
