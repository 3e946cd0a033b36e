// A learner's records turned into what the catalogue shows: each lab's state and the lab to
// suggest next. Pure, so the path through the labs is decided in one place and tested alone.
import type { LabProgress, LabState, ProgressView } from '../protocol/api-types.ts';
import type { LabRecord } from './progress-store.ts';

export interface LabOutline {
  id: string;
  exerciseIds: readonly string[];
  /** False when this server cannot run it (host, mode): never suggested. */
  available: boolean;
}

function stateOf(lab: LabOutline, record: LabRecord | undefined): LabState {
  if (record === undefined) return 'not-started';
  const passed = new Set(record.passed);
  const settled = lab.exerciseIds.filter((id) => passed.has(id) || record.revealed.includes(id));
  if (settled.length < lab.exerciseIds.length) return 'in-progress';
  return lab.exerciseIds.every((id) => passed.has(id)) ? 'done' : 'revealed';
}

/** Labs in the path's order (the catalogue's), with their states and the suggestions. */
export function labProgress(
  labs: readonly LabOutline[],
  records: ReadonlyMap<string, LabRecord>,
): ProgressView {
  const rows: LabProgress[] = labs.map((lab) => {
    const record = records.get(lab.id);
    const ids = new Set(lab.exerciseIds);
    const passed = (record?.passed ?? []).filter((id) => ids.has(id));
    const revealed = (record?.revealed ?? []).filter((id) => ids.has(id));
    return {
      labId: lab.id,
      state: stateOf(lab, record),
      passed: passed.length,
      revealed: revealed.length,
      total: lab.exerciseIds.length,
      minutesSpent: Math.round((record?.msSpent ?? 0) / 60_000),
    };
  });
  const available = new Set(labs.filter((l) => l.available).map((l) => l.id));
  const resume = [...records.values()]
    .filter((r) => available.has(r.labId))
    .filter((r) => rows.find((row) => row.labId === r.labId)?.state === 'in-progress')
    .sort((a, b) => b.lastActiveAt - a.lastActiveAt)[0]?.labId;
  const next = rows.find(
    (row) =>
      available.has(row.labId) && (row.state === 'not-started' || row.state === 'in-progress'),
  )?.labId;
  return {
    labs: rows,
    ...(next === undefined ? {} : { next }),
    ...(resume === undefined ? {} : { resume }),
  };
}
