// The progress export on a real store: one row per learner and exercise with passes,
// reveals, attempts, hints and time in the lab; CSV that a spreadsheet reads back cell for
// cell (quotes, commas, newlines) and never runs as a formula; the same rows as JSON from
// `nslab export`, which reads the database file with no server running.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ExportRow } from '../../server/protocol/api-types.ts';
import { csvCell, toCsv } from '../../server/store/export-csv.ts';
import { exportRows } from '../../server/store/progress-export.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';
import { REPO_ROOT } from './support/catalogue-fixtures.ts';

const run = promisify(execFile);

function tempFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'nslab-export-')), 'progress.db');
}

/** A store with two learners: Ada passed e1 after a failed check with a hint, revealed e2. */
function recorded(file: string): ProgressStore {
  const store = ProgressStore.open(file);
  store.ensureLearner('learner-ada-1', '=HYPERLINK("x"), "Ada"');
  store.sessionStarted({ id: 's1', learnerId: 'learner-ada-1', labId: 'uts', fromPool: false });
  const at = (exerciseId: string, verdict: 'passed' | 'failed' | 'revealed', hintIndex?: number) =>
    store.recordAttempt({
      sessionId: 's1',
      learnerId: 'learner-ada-1',
      labId: 'uts',
      exerciseId,
      verdict,
      ...(hintIndex === undefined ? {} : { hintIndex }),
    });
  at('e1', 'failed', 0);
  at('e1', 'passed');
  at('e2', 'revealed');
  store.sessionEnded('s1', 'ended by the learner');
  store.sessionStarted({ id: 's2', learnerId: 'learner-bob-1', labId: 'pid', fromPool: true });
  store.recordAttempt({
    sessionId: 's2',
    learnerId: 'learner-bob-1',
    labId: 'pid',
    exerciseId: 'count',
    verdict: 'failed',
  });
  return store;
}

/** RFC 4180, read back: what a spreadsheet makes of the text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (quoted && c === '"' && next === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && next === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('progress export', () => {
  it('has one row per learner and exercise with what they did', () => {
    const store = recorded(tempFile());
    const rows = exportRows(store);
    expect(rows.map((r) => [r.learnerId, r.labId, r.exerciseId])).toEqual([
      ['learner-ada-1', 'uts', 'e1'],
      ['learner-ada-1', 'uts', 'e2'],
      ['learner-bob-1', 'pid', 'count'],
    ]);
    expect(rows[0]).toMatchObject({ passed: true, revealed: false, attempts: 2, hintsGiven: 1 });
    expect(rows[1]).toMatchObject({ passed: false, revealed: true, attempts: 0, hintsGiven: 0 });
    expect(rows[2]).toMatchObject({ displayName: 'learner learne', passed: false, attempts: 1 });
    expect(rows[0]?.secondsInLab).toBeGreaterThanOrEqual(0);
    store.close();
  });

  it('writes CSV that reads back cell for cell and runs no formula', () => {
    const row: ExportRow = {
      learnerId: 'learner-x',
      displayName: 'Smith, "Jo"\nline two',
      labId: 'uts',
      exerciseId: 'e1',
      passed: true,
      revealed: false,
      attempts: 3,
      hintsGiven: 1,
      secondsInLab: 75,
    };
    const csv = toCsv([row, { ...row, displayName: '=1+2' }, { ...row, displayName: '@SUM(A1)' }]);
    const [head, first, second, third] = parseCsv(csv);
    expect(head).toEqual([
      'learner_id',
      'display_name',
      'lab',
      'exercise',
      'passed',
      'revealed',
      'attempts',
      'hints_given',
      'seconds_in_lab',
    ]);
    expect(first).toEqual([
      'learner-x',
      'Smith, "Jo"\nline two',
      'uts',
      'e1',
      'true',
      'false',
      '3',
      '1',
      '75',
    ]);
    expect(second?.[1]).toBe("'=1+2");
    expect(third?.[1]).toBe("'@SUM(A1)");
    for (const risky of ['+1', '-1', '\tx', '\rx'])
      expect(csvCell(risky).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell('plain')).toBe('plain');
  });

  it('nslab export writes the store’s rows as CSV or JSON, to a file or stdout', async () => {
    const file = tempFile();
    recorded(file).close();
    const env = { ...process.env, NSLAB_PROGRESS_DB: file };
    const cli = [
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      path.join(REPO_ROOT, 'server/cli/nslab.ts'),
    ];
    const out = path.join(path.dirname(file), 'out.json');
    await run(cli[0] ?? '', [cli[1] ?? '', 'export', '--format', 'json', '--out', out], { env });
    const json = JSON.parse(readFileSync(out, 'utf8')) as ExportRow[];
    expect(json).toHaveLength(3);
    expect(json[0]?.displayName).toBe('=HYPERLINK("x"), "Ada"');
    const { stdout } = await run(cli[0] ?? '', [cli[1] ?? '', 'export'], { env });
    const csv = parseCsv(stdout);
    expect(csv).toHaveLength(4);
    expect(csv[1]?.[1]).toBe(`'=HYPERLINK("x"), "Ada"`);
    await expect(
      run(cli[0] ?? '', [cli[1] ?? '', 'export', '--format', 'xml'], { env }),
    ).rejects.toThrow(/csv or json/);
  }, 60_000);
});
