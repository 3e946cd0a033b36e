// `nslab preflight` and `nslab export`: the instructor's commands before and after a
// workshop. Both read the server's progress store (NSLAB_PROGRESS_DB, or the instance's file
// in NSLAB_STATE_DIR): preflight for the offered labs, export for the records.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../catalogue/catalogue.ts';
import { loadConfig } from '../config.ts';
import { OfferedLabs } from '../control-room/offered-labs.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../protocol/api-types.ts';
import { toCsv } from '../store/export-csv.ts';
import { exportRows } from '../store/progress-export.ts';
import { ProgressStore } from '../store/progress-store.ts';
import { formatPreflight, preflightResult } from '../verify/preflight.ts';
import { verifyLabs } from '../verify/verify-labs.ts';

/** The store the server of this configuration writes; refuses to invent an empty one. */
function openExistingStore(): ProgressStore {
  const file = loadConfig().progressFile;
  if (!existsSync(file))
    throw new Error(
      `there is no progress database at ${file} (set NSLAB_PROGRESS_DB, or NSLAB_STATE_DIR and NSLAB_INSTANCE)`,
    );
  return ProgressStore.open(file);
}

/** The offered labs, in order: the stored choice, or every lab when there is no store yet. */
function offeredIds(): string[] {
  const config = loadConfig();
  const catalogue = new Catalogue(labs, path.join(config.repoRoot, 'content'));
  if (!existsSync(config.progressFile)) return catalogue.all().map((lab) => lab.id);
  const store = ProgressStore.open(config.progressFile);
  try {
    return new OfferedLabs(store, catalogue).ids();
  } finally {
    store.close();
  }
}

/** Runs each offered lab (or the named ones) on a server of its own; 1 when any is failing. */
export async function preflightCommand(args: readonly string[]): Promise<number> {
  process.env.NSLAB_LOG_LEVEL ??= 'warn';
  const ids = args.length > 0 ? args : offeredIds();
  process.stdout.write(`preflight of ${ids.length} lab(s): ${ids.join(', ')}\n`);
  const results = (
    await verifyLabs(ids, (v) => process.stdout.write(`${formatPreflight(preflightResult(v))}\n`), {
      mode: loadConfig().mode,
    })
  ).map(preflightResult);
  const count = (status: string): number => results.filter((r) => r.status === status).length;
  process.stdout.write(
    `${count('ready')} ready, ${count('failing')} failing, ${count('unavailable')} unavailable\n`,
  );
  return count('failing') === 0 ? 0 : 1;
}

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

/** Writes the progress per learner and exercise as CSV (the default) or JSON. */
export async function exportCommand(args: readonly string[]): Promise<number> {
  const known = new Set(['--format', '--out']);
  const stray = args.filter((arg, i) => !known.has(arg) && !known.has(args[i - 1] ?? ''));
  if (stray.length > 0) throw new Error(`unexpected argument "${stray[0] ?? ''}"`);
  const format = option(args, '--format') ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new Error(`--format is csv or json, not "${format}"`);
  const store = openExistingStore();
  let rows;
  try {
    rows = exportRows(store);
  } finally {
    store.close();
  }
  const text =
    (format as ExportFormat) === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
  const out = option(args, '--out');
  if (out === undefined) process.stdout.write(text);
  else {
    await writeFile(out, text, { mode: 0o600 });
    process.stderr.write(`${rows.length} row(s) written to ${out}\n`);
  }
  return 0;
}
