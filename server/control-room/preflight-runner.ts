// The control room's Preflight button: runs preflight for the offered labs in the background
// against this very server (its engine, mode, seats and pool), one lab at a time, and keeps
// the latest run: polled, or pushed on the control room's event stream as it changes. Its sessions belong to a learner id the progress
// store never records (PREFLIGHT_LEARNER_PREFIX), so no learner's progress or roster moves.
import { EventEmitter } from 'node:events';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { log } from '../log.ts';
import type { PreflightResult, PreflightView } from '../protocol/api-types.ts';
import type { InEveryLang } from '../protocol/lang.ts';
import { PREFLIGHT_LEARNER_PREFIX } from '../store/progress.ts';
import { preflightLab } from '../verify/preflight.ts';
import type { VerifyTarget } from '../verify/verify-lab.ts';

export interface PreflightDeps {
  /** The offered labs, in order, when the button is pressed. */
  labs: () => LabDefinition[];
  /** Why a lab cannot run on this server, in every language, or undefined. */
  unavailable: (lab: LabDefinition) => InEveryLang | undefined;
  /** This server's API and leftovers, as a learner with the given id. */
  target: (learner: string) => VerifyTarget;
}

export class PreflightRunner {
  /** Emits 'change' with the view whenever a lab's state or the run's changes. */
  readonly changes = new EventEmitter();
  private view: PreflightView = { running: false, results: [] };

  constructor(private readonly deps: PreflightDeps) {}

  current(): PreflightView {
    return structuredClone(this.view);
  }

  /** Starts a run unless one is going; either way answers with the run's state. */
  start(): PreflightView {
    if (!this.view.running) {
      const labs = this.deps.labs();
      this.view = {
        running: true,
        startedAt: Date.now(),
        results: labs.map((lab) => ({ labId: lab.id, status: 'waiting' })),
      };
      this.changed();
      void this.run(labs).catch((error: unknown) => log.error('preflight failed', { error }));
    }
    return this.current();
  }

  private async run(labs: LabDefinition[]): Promise<void> {
    // The same learner every run: in a workshop a seat lab gives each learner a seat for the
    // server's lifetime, so a new id per run would use up the room's seats. (Its wrong answers
    // are not limited: the check route knows preflight's learner.)
    const target = this.deps.target(PREFLIGHT_LEARNER_PREFIX);
    try {
      for (const [index, lab] of labs.entries()) {
        this.set(index, { labId: lab.id, status: 'running' });
        this.set(index, await preflightLab(target, lab, this.deps.unavailable(lab)));
        const result = this.view.results[index];
        log.info('preflight', { ...result, reason: result?.reason?.en });
      }
    } finally {
      this.view = { ...this.view, running: false, finishedAt: Date.now() };
      this.changed();
    }
  }

  private set(index: number, result: PreflightResult): void {
    this.view = {
      ...this.view,
      results: this.view.results.map((r, i) => (i === index ? result : r)),
    };
    this.changed();
  }

  private changed(): void {
    this.changes.emit('change', this.current());
  }
}
