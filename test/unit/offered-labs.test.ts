// The labs a workshop offers, on a real progress store: every lab in the catalogue's order
// until the instructor chooses, the choice kept across a restart (a reopened database, and
// a database of schema 2 migrated forward), refused when it names nothing, an unknown lab
// or a lab twice, and the learner's suggestions following the offered order.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { OfferedLabs } from '../../server/control-room/offered-labs.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { Progress } from '../../server/store/progress.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';
import { CONTENT_DIR } from './support/catalogue-fixtures.ts';

const catalogue = new Catalogue(labs, CONTENT_DIR);
const everyLab = labs.map((lab) => lab.id);

function tempFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'nslab-offered-')), 'progress.db');
}

describe('offered labs', () => {
  it('offers every lab in the catalogue’s order until the instructor chooses', () => {
    const store = ProgressStore.open(tempFile());
    const offered = new OfferedLabs(store, catalogue);
    expect(offered.ids()).toEqual(everyLab);
    expect(offered.isOffered('escape-host-pid')).toBe(true);
    store.close();
  });

  it('keeps the instructor’s choice and order across a restart', () => {
    const file = tempFile();
    const first = ProgressStore.open(file);
    expect(new OfferedLabs(first, catalogue).choose({ labIds: ['pid', 'uts', 'net'] })).toEqual([
      'pid',
      'uts',
      'net',
    ]);
    first.close();
    const again = ProgressStore.open(file);
    const offered = new OfferedLabs(again, catalogue);
    expect(offered.ids()).toEqual(['pid', 'uts', 'net']);
    expect(offered.labs().map((lab) => lab.id)).toEqual(['pid', 'uts', 'net']);
    expect(offered.isOffered('ipc')).toBe(false);
    again.close();
  });

  it('migrates a database an earlier nslab wrote (schema 2) and offers every lab', () => {
    const file = tempFile();
    const raw = new Database(file);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) raw.exec(migration.sql);
    raw.pragma('user_version = 2');
    raw.close();
    const store = ProgressStore.open(file);
    expect(store.schemaVersion).toBe(4);
    expect(new OfferedLabs(store, catalogue).ids()).toEqual(everyLab);
    store.close();
  });

  it('refuses an empty choice, an unknown lab, a lab twice and a malformed body', () => {
    const store = ProgressStore.open(tempFile());
    const offered = new OfferedLabs(store, catalogue);
    offered.choose({ labIds: ['uts'] });
    const refusal = (body: unknown): string => {
      try {
        offered.choose(body);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal({ labIds: [] })).toMatch(/at least one lab/);
    expect(refusal({ labIds: ['uts', 'no-such-lab'] })).toMatch(/no lab called "no-such-lab"/);
    expect(refusal({ labIds: ['../etc'] })).toMatch(/no lab called/);
    expect(refusal({ labIds: ['uts', 'uts'] })).toMatch(/once/);
    expect(refusal({ labIds: 'uts' })).toMatch(/labIds/);
    expect(refusal({ labIds: ['uts'], extra: 1 })).toMatch(/labIds/);
    expect(refusal(null)).toMatch(/labIds/);
    // Nothing refused was stored.
    expect(offered.ids()).toEqual(['uts']);
    store.close();
  });

  it('suggests the next lab along the offered order, and lists only offered labs', () => {
    const store = ProgressStore.open(tempFile());
    const offered = new OfferedLabs(store, catalogue);
    offered.choose({ labIds: ['net', 'uts'] });
    const progress = new Progress(
      store,
      catalogue,
      () => true,
      () => offered.ids(),
    );
    const view = progress.overview('ada-learner');
    expect(view.labs.map((lab) => lab.labId)).toEqual(['net', 'uts']);
    expect(view.next).toBe('net');
    store.close();
  });
});
