// Progress that lasts, against the real CLI, engine and SQLite file: a pass survives a
// kill -9 of the server; a reveal stays a reveal; a new session of the same lab starts with
// what was passed; and a database that cannot be used stops the start with a clear error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { ServerProcess } from '../support/server-process.ts';

function progressFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'nslab-progress-')), 'progress.db');
}

describe('progress store on a real server', () => {
  it('keeps a pass through kill -9 of the server, and a reveal stays a reveal', async () => {
    const env = { NSLAB_PROGRESS_DB: progressFile() };
    const instance = `test-progress-${process.pid}`;
    const first = await ServerProcess.start({ instance, token: 'progress-token-1', env });
    const api = first.api();
    const session = await api.startSession('uts');
    const driver = await TerminalDriver.open(
      api.terminalUrl(session.id, 'isolated'),
      api.terminalAuth,
    );
    await driver.waitForPrompt();
    // The honest solution of file-is-not-the-name, typed through the real terminal.
    // run() waits for a marker the command prints after it; a prompt check right after typing
    // could still see the prompt from before the command.
    await driver.run('echo not-my-name > /etc/hostname');
    const pass = await api.check(session.id, 'file-is-not-the-name');
    expect(pass.passed).toBe(true);
    const reveal = await api.skip(session.id, 'own-namespace');
    expect(reveal.exerciseId).toBe('own-namespace');
    await driver.close();
    // No goodbye: the process dies with the pass only in the database file.
    await first.kill9();

    const second = await ServerProcess.start({ instance, token: 'progress-token-2', env });
    try {
      const again = second.api();
      const overview = await again.progress();
      const uts = overview.labs.find((l) => l.labId === 'uts');
      expect(uts).toMatchObject({ state: 'in-progress', passed: 1, revealed: 1, total: 3 });
      expect(overview.resume).toBe('uts');
      // A new session of the same lab starts with what was done.
      const fresh = await again.startSession('uts');
      expect(fresh.progress.passed).toEqual(['file-is-not-the-name']);
      expect(fresh.progress.revealed).toEqual(['own-namespace']);
      await again.endSession(fresh.id);
    } finally {
      await second.stop();
    }
  });

  it('refuses to start on a database file it cannot use, and says which file and what to do', async () => {
    const file = progressFile();
    writeFileSync(file, 'not a database '.repeat(200));
    const attempt = ServerProcess.start({
      instance: `test-progress-bad-${process.pid}`,
      token: 'progress-token-3',
      env: { NSLAB_PROGRESS_DB: file },
      startTimeoutMs: 30_000,
    });
    await expect(attempt).rejects.toThrow(
      /progress database .*progress\.db cannot be used.*Move it aside/s,
    );
  });
});
