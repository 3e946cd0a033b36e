// CSV for the progress export (RFC 4180): every cell quoted when it needs to be, and cells a
// spreadsheet would run as a formula (=, +, -, @, and tab or CR that some readers strip
// first) prefixed with an apostrophe, since learners choose their own display names.
import type { ExportRow } from '../protocol/api-types.ts';

const COLUMNS = [
  ['learner_id', 'learnerId'],
  ['display_name', 'displayName'],
  ['lab', 'labId'],
  ['exercise', 'exerciseId'],
  ['passed', 'passed'],
  ['revealed', 'revealed'],
  ['attempts', 'attempts'],
  ['hints_given', 'hintsGiven'],
  ['seconds_in_lab', 'secondsInLab'],
] as const satisfies readonly (readonly [string, keyof ExportRow])[];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean): string {
  let text = String(value);
  // Numbers are ours and may be negative one day; only text can carry a formula.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [COLUMNS.map(([header]) => header).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, key]) => csvCell(row[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
