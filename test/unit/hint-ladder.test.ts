// Hints that escalate: the verdict's fitting hint first, then each repeat of the same failure
// climbs to the next hint not yet shown; the Hint button gives hints in order. What was shown
// is remembered by the store, over failed checks and requests alike.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { climbHint, hintForFailure, nextHint } from '../../server/checks/hint-ladder.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';

const HINTS = ['conceptual', 'closer', 'the command'];

describe('hint ladder', () => {
  it('shows the fitting hint when it is new, even past unseen earlier ones', () => {
    expect(hintForFailure(1, new Set(), 3)).toBe(1);
    expect(hintForFailure(0, new Set([1]), 3)).toBe(0);
  });

  it('climbs to the next unseen hint when the same failure repeats', () => {
    expect(hintForFailure(0, new Set([0]), 3)).toBe(1);
    expect(hintForFailure(0, new Set([0, 1]), 3)).toBe(2);
    expect(hintForFailure(1, new Set([1, 2]), 3)).toBe(1);
    expect(hintForFailure(0, new Set([0, 2]), 3)).toBe(1);
  });

  it('gives the Hint button the first unseen hint, and nothing once all are shown', () => {
    expect(nextHint(new Set(), 3)).toBe(0);
    expect(nextHint(new Set([0, 2]), 3)).toBe(1);
    expect(nextHint(new Set([0, 1, 2]), 3)).toBeUndefined();
  });

  it('rewrites a failed verdict’s hint and leaves a pass alone', () => {
    const failed = {
      exerciseId: 'e',
      passed: false,
      reason: 'r',
      hint: { index: 0, text: 'conceptual' },
    };
    expect(climbHint(failed, HINTS, new Set([0])).hint).toEqual({ index: 1, text: 'closer' });
    const passed = { exerciseId: 'e', passed: true, reason: 'ok' };
    expect(climbHint(passed, HINTS, new Set([0]))).toBe(passed);
  });

  it('is remembered by the store: hints of failed checks and hints asked for', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nslab-hints-')), 'p.db');
    const store = ProgressStore.open(file);
    store.sessionStarted({ id: 's1', learnerId: 'ada', labId: 'uts', fromPool: false });
    const base = { sessionId: 's1', learnerId: 'ada', labId: 'uts', exerciseId: 'a' };
    store.recordAttempt({ ...base, verdict: 'failed', hintIndex: 1 });
    store.recordAttempt({ ...base, verdict: 'passed' });
    store.recordHint({ ...base, hintIndex: 0 });
    store.recordHint({ ...base, exerciseId: 'b', hintIndex: 0 });
    store.close();
    // A restart: the hints shown come back from the file.
    const again = ProgressStore.open(file);
    const shown = again.hintsShown('ada', 'uts');
    expect([...(shown.get('a') ?? [])].sort()).toEqual([0, 1]);
    expect([...(shown.get('b') ?? [])]).toEqual([0]);
    expect(again.hintsShown('ada', 'pid').size).toBe(0);
    expect(again.hintsShown('bob', 'uts').size).toBe(0);
    // The control room counts them all: one with a failed check, one asked for (exercise a;
    // b has no attempt yet, so it is not in the learner's records).
    expect(again.labRecords('ada').get('uts')?.hints).toBe(2);
    again.close();
  });
});
