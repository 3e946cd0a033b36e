// The provisioning runner: steps in order, the undo of whatever was made in reverse when one
// fails, one teardown for end and sweep. Fake steps, real runner and real teardown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { AppError } from '../../server/errors/app-error.ts';
import { relayed } from '../../server/errors/server-message.ts';
import { SessionFiles } from '../../server/host/session-files.ts';
import { PROVISION_STEPS, provisionSession } from '../../server/provisioning/provision-session.ts';
import type {
  ProvisionDeps,
  ProvisionStep,
  SweepDeps,
} from '../../server/provisioning/session-draft.ts';
import { sweepLeftovers } from '../../server/provisioning/sweep-leftovers.ts';
import { Teardown } from '../../server/provisioning/teardown.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';

const LAB = { id: 'fake-lab', containers: [] } as unknown as LabDefinition;

/** Only what the runner itself reads: the session directory's place. Steps here are fakes. */
function deps(): ProvisionDeps {
  const files = new SessionFiles(mkdtempSync(path.join(tmpdir(), 'nslab-provision-')));
  return { instance: 'unit', image: 'none', hostFacts: TEST_FACTS, files } as ProvisionDeps;
}

/** A step that records what it made and unmade, in one shared journal. */
function step(name: string, journal: string[], fail?: Error): ProvisionStep {
  return {
    name,
    run(draft) {
      if (fail !== undefined) return Promise.reject(fail);
      journal.push(`make ${name}`);
      draft.teardown.push(name, () => {
        journal.push(`undo ${name}`);
        return Promise.resolve();
      });
      return Promise.resolve();
    },
    sweep() {
      journal.push(`sweep ${name}`);
      return Promise.resolve(1);
    },
  };
}

describe('teardown', () => {
  it('undoes last first, goes on past a failing undo, and runs once', async () => {
    const journal: string[] = [];
    const teardown = new Teardown('s1');
    teardown.push('files', () => Promise.resolve(void journal.push('files')));
    teardown.push('network', () => Promise.reject(new Error('network busy')));
    teardown.push('containers', () => Promise.resolve(void journal.push('containers')));
    await Promise.all([teardown.run(), teardown.run()]);
    await teardown.run();
    expect(journal).toEqual(['containers', 'files']);
    expect(() => teardown.push('late', () => Promise.resolve())).toThrow(/already ran/);
  });
});

describe('provisionSession', () => {
  it('runs the steps in order and hands back a draft nobody holds yet', async () => {
    const journal: string[] = [];
    const draft = await provisionSession({ lab: LAB }, deps(), [
      step('files', journal),
      step('containers', journal),
    ]);
    expect(journal).toEqual(['make files', 'make containers']);
    expect(draft.teardown.steps).toEqual(['files', 'containers']);
    expect(draft.seatOf).toBeUndefined();
    expect(draft.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await draft.teardown.run();
    expect(journal.slice(2)).toEqual(['undo containers', 'undo files']);
  });

  it('undoes what was made, in reverse, when a step fails, and says so in words', async () => {
    const journal: string[] = [];
    const attempt = provisionSession({ lab: LAB }, deps(), [
      step('files', journal),
      step('networks', journal),
      step('containers', journal, new Error('no such image')),
      step('set-up', journal),
    ]);
    await expect(attempt).rejects.toMatchObject({
      code: 'engine_unavailable',
      message: 'The lab could not be started. Is the Docker engine running?',
    });
    expect(journal).toEqual(['make files', 'make networks', 'undo networks', 'undo files']);
  });

  it('passes a clear error of its own through unchanged', async () => {
    const refusal = new AppError(
      'engine_unavailable',
      relayed('no_seats', {
        en: 'This server has no workshop seats.',
        zh: '这台服务器没有工作坊席位。',
      }),
    );
    const journal: string[] = [];
    await expect(
      provisionSession({ lab: LAB }, deps(), [
        step('files', journal),
        step('seat', journal, refusal),
      ]),
    ).rejects.toBe(refusal);
    expect(journal).toEqual(['make files', 'undo files']);
  });

  it('makes the files before the relay that lives among them, and containers before TCP dockerds', () => {
    const order = PROVISION_STEPS.map((s) => s.name);
    expect(order.indexOf('host files')).toBeLessThan(order.indexOf('seat relay'));
    expect(order.indexOf('socket dockerds')).toBeLessThan(order.indexOf('containers'));
    expect(order.indexOf('networks and volumes')).toBeLessThan(order.indexOf('containers'));
    expect(order.indexOf('containers')).toBeLessThan(order.indexOf('tcp dockerds'));
    expect(order.indexOf('lab set-up')).toBeLessThan(order.indexOf('shells'));
    expect(order.at(-1)).toBe('shells');
  });
});

describe('sweepLeftovers', () => {
  it('walks the same steps in reverse and counts what each removed', async () => {
    const journal: string[] = [];
    const removed = await sweepLeftovers({ instance: 'unit' } as SweepDeps, [
      step('files', journal),
      step('networks', journal),
      step('containers', journal),
    ]);
    expect(removed).toBe(3);
    expect(journal).toEqual(['sweep containers', 'sweep networks', 'sweep files']);
  });
});
