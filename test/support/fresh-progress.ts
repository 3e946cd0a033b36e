// Vitest setup: every test file gets a progress database of its own, so what one file's
// learners passed never shows up in another's catalogue, and a run leaves nothing in
// /var/lib/nslab. Servers the file starts in-process or as child processes inherit it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.NSLAB_PROGRESS_DB = path.join(
  mkdtempSync(path.join(tmpdir(), 'nslab-test-progress-')),
  'progress.db',
);
