// A fault's report: what the learner saw, timings, notes, leftovers and problems. Problems
// are collected, not thrown, so a report always shows the whole story.
import { describeLeftovers, leftoverCount, leftovers } from './leftovers.ts';

export interface FaultReport {
  fault: string;
  /** Control messages and close codes, "+seconds what", timed from the fault. */
  learnerSaw: string[];
  /** Named durations in ms. */
  timings: Record<string, number>;
  notes: string[];
  leftovers: string;
  problems: string[];
}

export class Report {
  readonly learnerSaw: string[] = [];
  readonly timings: Record<string, number> = {};
  readonly notes: string[] = [];
  readonly problems: string[] = [];
  left = 'not checked';

  constructor(readonly fault: string) {}

  expect(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  time(name: string, since: number): number {
    const ms = Math.round(performance.now() - since);
    this.timings[name] = ms;
    return ms;
  }

  async checkLeftovers(instance: string, sessionId?: string): Promise<void> {
    const left = await leftovers(instance, sessionId);
    this.left = describeLeftovers(left);
    this.expect(leftoverCount(left) === 0, `left behind: ${this.left}`);
  }

  done(): FaultReport {
    return {
      fault: this.fault,
      learnerSaw: this.learnerSaw,
      timings: this.timings,
      notes: this.notes,
      leftovers: this.left,
      problems: this.problems,
    };
  }
}

export function formatFaultReport(report: FaultReport): string[] {
  return [
    `== ${report.fault}: ${report.problems.length === 0 ? 'PASS' : 'FAIL'}`,
    '  the learner saw:',
    ...report.learnerSaw.map((line) => `    ${line}`),
    `  timings: ${Object.entries(report.timings)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')}`,
    ...report.notes.map((note) => `  note: ${note}`),
    `  leftovers: ${report.leftovers}`,
    ...report.problems.map((problem) => `  PROBLEM: ${problem}`),
  ];
}
