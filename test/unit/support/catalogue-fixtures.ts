// Labs and exercises for the catalogue and validation tests: a good baseline to vary.
import path from 'node:path';
import type { Exercise, LabDefinition } from '../../../server/catalogue/lab-definition.ts';
import { t } from '../../../labs/shared/localized.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

export const CONTENT_DIR = path.join(REPO_ROOT, 'content');

export function exercise(overrides: Partial<Exercise> = {}): Exercise {
  return {
    id: 'ex',
    title: 'Exercise',
    goal: 'Do the thing.',
    hints: ['think'],
    check: () => Promise.resolve({ passed: true, reason: t('ok', 'ok') }),
    solution: [{ terminal: 'box', input: 'true' }],
    ...overrides,
  };
}

/** A lab that passes validation, so each test breaks exactly one thing. */
export function goodLab(overrides: Partial<LabDefinition> = {}): LabDefinition {
  return {
    id: 'good-lab',
    title: 'Good',
    topic: 'namespaces',
    summary: 'A lab that validates.',
    minutes: 5,
    learned: ['What this lab leaves the learner with.'],
    lesson: 'uts.md',
    containers: [{ name: 'box', title: 'box', hostname: 'box-1' }],
    exercises: [exercise()],
    ...overrides,
  };
}
