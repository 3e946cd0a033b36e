// Sessions provisioned ahead of any learner, their shells started and waiting at a prompt.
// A Start takes one (synchronously, so never two learners the same one) and the pool
// refills in the background, a few at a time, so a room's first click is not a start storm.
// Pooled sessions are ordinary provisioned sessions: same pipeline, labels, teardown, sweep;
// each has its own id and secrets.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import type { ContainerEvent } from '../docker/engine-events.ts';
import { log } from '../log.ts';
import { provisionSession } from '../provisioning/provision-session.ts';
import type { ProvisionDeps, SessionDraft } from '../provisioning/session-draft.ts';

export interface WarmPoolOptions {
  /** Sessions to keep ready, per lab id (already fitted to the machine). */
  targets: ReadonlyMap<string, number>;
  /** Provisions running at once in the background. */
  concurrency: number;
  /** A pooled session older than this is replaced: a learner gets a fresh one. */
  maxAgeMs: number;
  /** How long a pooled shell may take to print its prompt before the session is dropped. */
  promptTimeoutMs?: number;
}

interface Pooled {
  draft: SessionDraft;
  readyAt: number;
}

/** After a failed provision, wait this long before trying that lab again. */
const RETRY_MS = 5_000;
/**
 * Refilling waits until claims have paused this long: while a room presses Start together,
 * the CPU serves their shells, and provisioning their replacements starts right after.
 */
const REFILL_QUIET_MS = 2_000;

export class WarmPool {
  private readonly ready = new Map<string, Pooled[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly retryAfter = new Map<string, number>();
  private readonly provisioning = new Set<Promise<void>>();
  private recycler: NodeJS.Timeout | undefined;
  private stopped = false;
  private claims = 0;
  private quietUntil = 0;
  private refillTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly labs: ReadonlyMap<string, LabDefinition>,
    private readonly deps: ProvisionDeps,
    private readonly options: WarmPoolOptions,
  ) {}

  /** Starts filling, and recycling what grows old; returns at once. */
  start(): void {
    this.stopped = false;
    this.recycler ??= setInterval(
      () => this.recycle(),
      Math.min(this.options.maxAgeMs / 4, 60_000),
    );
    this.recycler.unref();
    this.fill();
  }

  /** Sessions ready to claim and being made: they count against the server's caps. */
  get size(): number {
    return this.readyCount + [...this.inFlight.values()].reduce((a, b) => a + b, 0);
  }

  get readyCount(): number {
    return [...this.ready.values()].reduce((sum, list) => sum + list.length, 0);
  }

  readyFor(labId: string): number {
    return this.ready.get(labId)?.length ?? 0;
  }

  /** How many sessions learners have taken from the pool so far. */
  get claimed(): number {
    return this.claims;
  }

  /** Resolves once a session of this lab is ready to claim, or rejects after `timeoutMs`. */
  async whenReady(labId: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.readyFor(labId) === 0) {
      if (Date.now() > deadline)
        throw new Error(`no pooled session of "${labId}" was ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Takes a ready session of this lab, or undefined. Synchronous: no two callers get one. */
  claim(labId: string): SessionDraft | undefined {
    const pooled = this.ready.get(labId)?.shift();
    if (pooled !== undefined) {
      this.claims += 1;
      log.info('pooled session claimed', { session: pooled.draft.id, lab: labId });
      this.quietUntil = Date.now() + REFILL_QUIET_MS;
      clearTimeout(this.refillTimer);
      this.refillTimer = setTimeout(() => this.fill(), REFILL_QUIET_MS);
      this.refillTimer.unref();
    }
    return pooled?.draft;
  }

  /** Gives up one ready session (another lab's first) so a fresh start fits under the cap. */
  async evictOne(): Promise<boolean> {
    const victim = [...this.ready.values()].find((list) => list.length > 0)?.pop();
    if (victim === undefined) return false;
    await victim.draft.teardown.run();
    return true;
  }

  /** A pooled container that died or vanished makes its session worthless: replace it. */
  handleContainerEvent(event: ContainerEvent): void {
    if (event.action === 'oom') return;
    for (const [labId, list] of this.ready) {
      const index = list.findIndex((p) =>
        [...p.draft.containers.values()].some((c) => c.id === event.id),
      );
      if (index < 0) continue;
      const [broken] = list.splice(index, 1);
      log.warn('a pooled session lost a container; replacing it', { lab: labId });
      void broken?.draft.teardown.run().finally(() => this.fill());
      return;
    }
  }

  /** Tears down every ready session and waits for those being made, then tears them down too. */
  async drain(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.refillTimer);
    clearInterval(this.recycler);
    this.recycler = undefined;
    await Promise.all([...this.provisioning]);
    const all = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.all(all.map((p) => p.draft.teardown.run()));
  }

  private deficit(labId: string, target: number): number {
    return target - this.readyFor(labId) - (this.inFlight.get(labId) ?? 0);
  }

  /** Starts provisions while there is a deficit and room under the concurrency bound. */
  private fill(): void {
    if (this.stopped) return;
    const quiet = this.quietUntil - Date.now();
    if (quiet > 0) {
      // A timer may fire a little before Date.now() reaches its mark: look again then.
      clearTimeout(this.refillTimer);
      this.refillTimer = setTimeout(() => this.fill(), quiet + 1);
      this.refillTimer.unref();
      return;
    }
    while (this.provisioning.size < this.options.concurrency) {
      // The lab furthest below its target first, so a claimed lab is refilled before others.
      const next = [...this.options.targets]
        .filter(([id]) => (this.retryAfter.get(id) ?? 0) <= Date.now())
        .map(([id, target]) => ({ id, deficit: this.deficit(id, target) }))
        .filter((l) => l.deficit > 0)
        .sort((a, b) => b.deficit - a.deficit)[0];
      const lab = next === undefined ? undefined : this.labs.get(next.id);
      if (lab === undefined) return;
      this.provisionOne(lab);
    }
  }

  private provisionOne(lab: LabDefinition): void {
    this.inFlight.set(lab.id, (this.inFlight.get(lab.id) ?? 0) + 1);
    const job = this.makeReady(lab).finally(() => {
      this.inFlight.set(lab.id, (this.inFlight.get(lab.id) ?? 1) - 1);
      this.provisioning.delete(job);
      this.fill();
    });
    this.provisioning.add(job);
  }

  private async makeReady(lab: LabDefinition): Promise<void> {
    try {
      const draft = await provisionSession({ lab }, this.deps);
      const timeout = this.options.promptTimeoutMs ?? 15_000;
      const terminals = [...draft.containers.values()].flatMap((c) =>
        c.terminal === undefined ? [] : [c.terminal],
      );
      const prompted = await Promise.all(terminals.map((t) => t.prompted(timeout)));
      if (this.stopped || prompted.includes(false)) {
        await draft.teardown.run();
        if (!this.stopped) throw new Error('a pooled shell printed no prompt');
        return;
      }
      const list = this.ready.get(lab.id) ?? [];
      list.push({ draft, readyAt: Date.now() });
      this.ready.set(lab.id, list);
    } catch (error) {
      this.retryAfter.set(lab.id, Date.now() + RETRY_MS);
      setTimeout(() => this.fill(), RETRY_MS).unref();
      log.warn('provisioning a pooled session failed', { lab: lab.id, error: String(error) });
    }
  }

  private recycle(): void {
    const oldest = Date.now() - this.options.maxAgeMs;
    for (const [labId, list] of this.ready) {
      const stale = list.filter((p) => p.readyAt < oldest);
      if (stale.length === 0) continue;
      this.ready.set(
        labId,
        list.filter((p) => p.readyAt >= oldest),
      );
      log.info('recycling pooled sessions past their age', { lab: labId, count: stale.length });
      void Promise.all(stale.map((p) => p.draft.teardown.run())).finally(() => this.fill());
    }
  }
}
