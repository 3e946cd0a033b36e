// Preflight on the real engine: the control room's run against its own workshop server (the
// offered labs in order: uts ready, an escape that gives the machine's root unavailable in a
// workshop), pushed on the control room's event stream as it goes, recorded as no learner's
// progress and leaving nothing behind; and
// `nslab preflight` reading the offered labs from the store, on a server of its own.
import { execFile } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { OfferedLabs } from '../../server/control-room/offered-labs.ts';
import type { PreflightView } from '../../server/protocol/api-types.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

const OFFERED = ['uts', 'escape-host-pid'];

/** Collects the `preflight` events of the control room's stream until closed. */
function preflightEvents(
  url: string,
  headers: Record<string, string>,
): { seen: PreflightView[]; close: () => void } {
  const seen: PreflightView[] = [];
  let buffer = '';
  const request = get(url, { headers }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      buffer += text;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const match = /^event: preflight\ndata: (.*)$/s.exec(block);
        if (match !== null) seen.push(JSON.parse(match[1] ?? '') as PreflightView);
      }
    });
  });
  request.on('error', () => undefined);
  return { seen, close: () => request.destroy() };
}

describe('preflight', () => {
  it('runs the offered labs on this server from the control room', async () => {
    await using t = await startTestServer('test-preflight', 60_000, {
      mode: 'workshop',
      joinCode: 'test-preflight-code',
      pool: 'off',
    });
    await t.api.chooseLabs(OFFERED);
    const stream = preflightEvents(t.api.rosterStreamUrl, t.api.terminalAuth.headers);
    // The stream opens with the state now: nothing run yet.
    await expect.poll(() => stream.seen[0]).toEqual({ running: false, results: [] });
    const started = await t.api.startPreflight();
    expect(started.running).toBe(true);
    expect(started.results.map((r) => r.labId)).toEqual(OFFERED);
    // A second press joins the run going rather than starting another.
    expect((await t.api.startPreflight()).startedAt).toBe(started.startedAt);
    let view: PreflightView = started;
    await expect
      .poll(
        async () => {
          view = await t.api.preflight();
          return view.running;
        },
        { timeout: 150_000, interval: 1_000 },
      )
      .toBe(false);
    const [uts, escape] = view.results;
    expect(uts).toMatchObject({ labId: 'uts', status: 'ready' });
    expect(uts?.ms).toBeGreaterThan(0);
    expect(escape).toMatchObject({ labId: 'escape-host-pid', status: 'unavailable' });
    expect(escape?.reason?.en).toMatch(/solo mode/);
    expect(escape?.reason?.zh).toMatch(/单人模式/);
    // The control room's stream pushed the run as it went: uts running, then ready.
    await expect.poll(() => stream.seen.at(-1)?.running).toBe(false);
    stream.close();
    const utsStates = stream.seen.map((v) => v.results[0]?.status);
    expect(utsStates).toContain('running');
    expect(utsStates.indexOf('ready')).toBeGreaterThan(utsStates.indexOf('running'));
    expect(stream.seen.at(-1)).toEqual(view);
    // A second run is as good as the first: preflight's repeated wrong answers wait for nothing.
    await t.api.startPreflight();
    await expect
      .poll(async () => (await t.api.preflight()).running, { timeout: 150_000, interval: 1_000 })
      .toBe(false);
    expect((await t.api.preflight()).results[0]).toMatchObject({ labId: 'uts', status: 'ready' });
    // The server testing itself is nobody's progress, and it cleaned up after itself.
    expect((await t.api.roster()).learners).toEqual([]);
    expect((await t.api.exportProgress('json')).text.trim()).toBe('[]');
    expect(t.server.sessions.size).toBe(0);
    expect(await labelled(t.docker, 'test-preflight')).toEqual([]);
  }, 180_000);

  it('nslab preflight reads the offered labs from the store and reports each', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nslab-preflight-')), 'progress.db');
    const store = ProgressStore.open(file);
    new OfferedLabs(store, new Catalogue(labs, path.join(REPO_ROOT, 'content'))).choose({
      labIds: OFFERED,
    });
    store.close();
    const { stdout } = await promisify(execFile)(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      [path.join(REPO_ROOT, 'server/cli/nslab.ts'), 'preflight'],
      { env: { ...process.env, NSLAB_PROGRESS_DB: file, NSLAB_MODE: 'workshop' } },
    );
    expect(stdout).toMatch(/^preflight of 2 lab\(s\): uts, escape-host-pid$/m);
    expect(stdout).toMatch(/^READY +uts +\d+\.\d s$/m);
    expect(stdout).toMatch(/^UNAVAILABLE escape-host-pid: .*solo mode/m);
    expect(stdout).toMatch(/^1 ready, 0 failing, 1 unavailable$/m);
  }, 180_000);
});
