// The progress export: one row per learner and exercise they touched, for the instructor's
// records after a workshop. Read from the store alone, so `nslab export` works on the
// database file with no server running.
import type { ExportRow } from '../protocol/api-types.ts';
import type { ProgressStore } from './progress-store.ts';

type ExportSource = Pick<ProgressStore, 'learners' | 'exerciseRows' | 'timeRows'>;

/** A learner who never gave a name is shown as the control room shows them. */
export function shownName(id: string, displayName: string | undefined): string {
  return displayName ?? `learner ${id.slice(0, 6)}`;
}

export function exportRows(store: ExportSource): ExportRow[] {
  return store.learners().flatMap((learner) => {
    const msInLab = new Map(store.timeRows(learner.id).map((t) => [t.lab_id, t.ms]));
    return store.exerciseRows(learner.id).map((row): ExportRow => ({
      learnerId: learner.id,
      displayName: shownName(learner.id, learner.displayName),
      labId: row.lab_id,
      exerciseId: row.exercise_id,
      passed: row.passed > 0,
      // A pass after "Show me" counts as the learner's own, as the catalogue counts it.
      revealed: row.passed === 0 && row.revealed > 0,
      attempts: row.attempts,
      hintsGiven: row.hints,
      secondsInLab: Math.round((msInLab.get(row.lab_id) ?? 0) / 1000),
    }));
  });
}
