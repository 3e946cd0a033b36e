// The progress store on a real SQLite file: schema migrations, what a learner's records
// add up to, reveals never counted as passes, and clear start-up errors for a database that
// cannot be used.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { labProgress } from '../../server/store/lab-progress.ts';
import { ProgressStore, StoreError } from '../../server/store/progress-store.ts';

function tempFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'nslab-store-')), 'progress.db');
}

function started(store: ProgressStore, id: string, labId = 'uts', learnerId = 'ada'): void {
  store.sessionStarted({ id, learnerId, labId, fromPool: false });
}

describe('progress store', () => {
  it('creates the schema at the latest migration, in WAL mode, and opens it again', () => {
    const file = tempFile();
    const store = ProgressStore.open(file);
    expect(store.schemaVersion).toBe(MIGRATIONS.at(-1)?.version);
    store.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    ProgressStore.open(file).close();
  });

  it('adds a learner’s attempts up per lab: passes, hints, reveals that stay reveals', () => {
    const store = ProgressStore.open(tempFile());
    started(store, 's1');
    const attempt = (
      exerciseId: string,
      verdict: 'passed' | 'failed' | 'revealed',
      hint?: number,
    ) =>
      store.recordAttempt({
        sessionId: 's1',
        learnerId: 'ada',
        labId: 'uts',
        exerciseId,
        verdict,
        hintIndex: hint,
      });
    attempt('a', 'failed', 0);
    attempt('a', 'failed', 1);
    attempt('a', 'passed');
    attempt('b', 'revealed');
    attempt('c', 'revealed');
    attempt('c', 'passed');
    const record = store.labRecords('ada').get('uts');
    expect(record?.passed).toEqual(['a', 'c']);
    expect(record?.revealed).toEqual(['b']);
    expect(record?.attempts).toBe(4);
    expect(record?.hints).toBe(2);
    expect(store.labRecords('someone-else').size).toBe(0);
  });

  it('ends sessions, and closes the ones a crashed server left open', () => {
    const store = ProgressStore.open(tempFile());
    started(store, 's1');
    started(store, 's2');
    store.sessionEnded('s1', 'ended by the learner');
    expect(store.closeOrphanedSessions('the server stopped')).toBe(1);
    expect(store.closeOrphanedSessions('the server stopped')).toBe(0);
  });

  it('refuses a file that is not a database, in words that say what to do', () => {
    const file = tempFile();
    writeFileSync(file, 'this is not sqlite '.repeat(100));
    expect(() => ProgressStore.open(file)).toThrow(StoreError);
    expect(() => ProgressStore.open(file)).toThrow(/cannot be used.*Move it aside/);
  });

  it('refuses a database written by a newer nslab', () => {
    const file = tempFile();
    ProgressStore.open(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => ProgressStore.open(file)).toThrow(/newer nslab/);
  });
});

describe('lab progress', () => {
  const labs = [
    { id: 'uts', exerciseIds: ['a', 'b'], available: true },
    { id: 'pid', exerciseIds: ['x'], available: true },
    { id: 'escape', exerciseIds: ['y'], available: false },
    { id: 'net', exerciseIds: ['n'], available: true },
  ];
  const record = (labId: string, passed: string[], revealed: string[], lastActiveAt: number) => ({
    labId,
    passed,
    revealed,
    attempts: 1,
    hints: 0,
    msSpent: 120_000,
    lastActiveAt,
  });

  it('says not started, in progress, done or revealed, and suggests the next lab and the one to continue', () => {
    const view = labProgress(
      labs,
      new Map([
        ['uts', record('uts', ['a', 'b'], [], 1)],
        ['pid', record('pid', [], ['x'], 2)],
        ['net', record('net', [], [], 3)],
      ]),
    );
    expect(view.labs.map((l) => [l.labId, l.state])).toEqual([
      ['uts', 'done'],
      ['pid', 'revealed'],
      ['escape', 'not-started'],
      ['net', 'in-progress'],
    ]);
    expect(view.labs[0]).toMatchObject({ passed: 2, total: 2, minutesSpent: 2 });
    expect(view.next).toBe('net');
    expect(view.resume).toBe('net');
  });

  it('starts a new learner at the first lab of the path', () => {
    const view = labProgress(labs, new Map());
    expect(view.next).toBe('uts');
    expect(view.resume).toBeUndefined();
  });
});
