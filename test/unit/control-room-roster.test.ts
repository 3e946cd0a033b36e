// The control room's roster on a real progress store: names, passes, hints and reveals per
// learner, the room's totals (passed, stuck), a push within a second of a pass, and the
// display-name rule (any script; no markup characters).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { RosterFeed } from '../../server/control-room/roster.ts';
import { DISPLAY_NAME_PATTERN, type Roster } from '../../server/protocol/api-types.ts';
import type { Session } from '../../server/sessions/session.ts';
import { Progress } from '../../server/store/progress.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';
import { CONTENT_DIR } from './support/catalogue-fixtures.ts';

function setup() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nslab-roster-')), 'progress.db');
  const store = ProgressStore.open(file);
  const progress = new Progress(store, new Catalogue(labs, CONTENT_DIR), () => true);
  const feed = new RosterFeed({ all: () => [] }, progress);
  const session = (id: string, learner: string) =>
    ({ id, learner, lab: { id: 'uts' }, fromPool: false }) as unknown as Session;
  return { store, progress, feed, session };
}

describe('control room roster', () => {
  it('sums each learner and counts the room per exercise', () => {
    const { store, progress, feed, session } = setup();
    progress.named('learner-ada-1', 'Ada L.');
    progress.named('learner-bob-1', 'Björn Öberg');
    const ada = session('s-ada', 'learner-ada-1');
    const bob = session('s-bob', 'learner-bob-1');
    progress.started(ada);
    progress.started(bob);
    progress.checked(ada, { exerciseId: 'e1', passed: true } as never);
    progress.checked(bob, { exerciseId: 'e1', passed: false, hint: { index: 0 } } as never);
    progress.revealed(bob, 'e2');
    const roster = feed.snapshot();
    const [first, second] = roster.learners;
    expect(first).toMatchObject({
      displayName: 'Ada L.',
      passes: 1,
      labId: 'uts',
      exerciseId: 'e1',
    });
    expect(second).toMatchObject({ displayName: 'Björn Öberg', passes: 0, hints: 1, reveals: 1 });
    expect(second?.exerciseId).toBe('e2');
    expect(roster.totals).toEqual([
      { labId: 'uts', exerciseId: 'e1', passed: 1, stuck: 1 },
      { labId: 'uts', exerciseId: 'e2', passed: 0, stuck: 0 },
    ]);
    store.close();
  });

  it('pushes a pass to subscribers within a second', async () => {
    const { store, progress, feed, session } = setup();
    const ada = session('s-ada', 'learner-ada-1');
    progress.started(ada);
    const seen: Roster[] = [];
    const stop = feed.subscribe((roster) => seen.push(roster));
    const before = Date.now();
    progress.checked(ada, { exerciseId: 'e1', passed: true } as never);
    await expect.poll(() => seen.at(-1)?.learners[0]?.passes, { timeout: 1_000 }).toBe(1);
    expect(Date.now() - before).toBeLessThan(1_000);
    stop();
    store.close();
  });

  it('takes names in any script and refuses markup and lengths outside 1..40', () => {
    for (const good of ['Ada', 'Zoë_2', 'Ζωή Παπά-3', '李小龍', 'J. R.'])
      expect(DISPLAY_NAME_PATTERN.test(good)).toBe(true);
    for (const bad of ['', '<b>x</b>', 'a'.repeat(41), 'x"y', 'a&b', 'tab\there'])
      expect(DISPLAY_NAME_PATTERN.test(bad)).toBe(false);
  });
});

describe('control room roster, per current lab', () => {
  it('counts passes, hints, reveals and time of the learner’s current lab only', () => {
    const { store, progress, feed } = setup();
    const inLab = (id: string, labId: string) =>
      ({ id, learner: 'learner-ada-1', lab: { id: labId }, fromPool: false }) as unknown as Session;
    const uts = inLab('s-uts', 'uts');
    progress.started(uts);
    progress.checked(uts, { exerciseId: 'e1', passed: true } as never);
    progress.checked(uts, { exerciseId: 'e2', passed: true } as never);
    progress.checked(uts, { exerciseId: 'e3', passed: false, hint: { index: 0 } } as never);
    progress.ended(uts, 'ended by the learner');
    expect(feed.snapshot().learners[0]).toMatchObject({ labId: 'uts', passes: 2, hints: 1 });
    // On to the next lab: its first pass is the only one the row counts.
    const pid = inLab('s-pid', 'pid');
    progress.started(pid);
    progress.checked(pid, { exerciseId: 'count', passed: true } as never);
    expect(feed.snapshot().learners[0]).toMatchObject({
      labId: 'pid',
      exerciseId: 'count',
      passes: 1,
      hints: 0,
      reveals: 0,
    });
    store.close();
  });
});
