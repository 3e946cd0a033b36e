// The path through the labs: every lab says how long it takes and what it leaves the learner
// with, validation holds authors to it, and a finished lab points at the next one that can
// run here (a workshop skips the escapes that give the machine's root).
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import type { EngineFacts } from '../../server/host/host-facts.ts';
import { CONTENT_DIR, goodLab } from './support/catalogue-fixtures.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';

const facts: EngineFacts = { ...TEST_FACTS, dataDisk: '/dev/vda' };

describe('the path through the labs', () => {
  it('gives every lab a time and what it teaches', () => {
    for (const lab of labs) {
      expect(lab.minutes, lab.id).toBeGreaterThan(0);
      expect(lab.learned.length, lab.id).toBeGreaterThan(0);
    }
  });

  it('refuses a lab without what it teaches, or with an odd time', () => {
    expect(validateLab(goodLab({ learned: [] }), CONTENT_DIR).join()).toMatch(/learned needs/);
    expect(validateLab(goodLab({ learned: ['short'] }), CONTENT_DIR).join()).toMatch(
      /10 to 200 characters/,
    );
    expect(validateLab(goodLab({ minutes: 0 }), CONTENT_DIR).join()).toMatch(/minutes must/);
    expect(validateLab(goodLab({ minutes: 7.5 }), CONTENT_DIR).join()).toMatch(/minutes must/);
    expect(validateLab(goodLab(), CONTENT_DIR)).toEqual([]);
  });

  it('orders the topics namespaces, control groups, least privilege, audit, image provenance, escapes, sandboxing', () => {
    const topics = [...new Set(labs.map((lab) => lab.topic))];
    expect(topics).toEqual([
      'namespaces',
      'control groups',
      'least privilege',
      'audit',
      'image provenance',
      'escapes',
      'sandboxing',
    ]);
  });

  it('points a finished lab at the next lab that runs here', () => {
    const catalogue = new Catalogue(labs, CONTENT_DIR);
    expect(catalogue.nextAfter('uts', facts, 'solo')?.id).toBe('pid');
    expect(catalogue.nextAfter('lsm', facts, 'solo')?.id).toBe('playground');
    expect(catalogue.nextAfter('playground', facts, 'solo')?.id).toBe('audit');
    expect(catalogue.nextAfter('audit', facts, 'solo')?.id).toBe('runtime-detection');
    expect(catalogue.nextAfter('runtime-detection', facts, 'solo')?.id).toBe('image-provenance');
    expect(catalogue.nextAfter('image-provenance', facts, 'solo')?.id).toBe('escape-docker-sock');
    // runtime-detection adds no capability and sees only its own session's workload: a
    // workshop offers it. image-provenance's learner drives a root engine: a workshop skips
    // it, as it skips the TCP escape.
    expect(catalogue.nextAfter('audit', facts, 'workshop')?.id).toBe('runtime-detection');
    expect(catalogue.nextAfter('runtime-detection', facts, 'workshop')?.id).toBe(
      'escape-docker-sock',
    );
    // In a workshop the docker.sock escape runs on a seat; the TCP one gives root: skipped.
    expect(catalogue.nextAfter('escape-docker-sock', facts, 'workshop')?.id).toBe(
      'escape-host-mount',
    );
    // The sandboxed runtime ends the path where the engine has runsc, and is skipped where not.
    expect(catalogue.nextAfter('escape-privileged-device', facts, 'solo')).toBeUndefined();
    const withRunsc = { ...facts, runsc: { path: '/usr/bin/runsc', args: [] } };
    expect(catalogue.nextAfter('escape-privileged-device', withRunsc, 'solo')?.id).toBe(
      'sandboxed-runtime',
    );
    expect(catalogue.nextAfter('escape-host-pid', facts, 'solo')?.id).toBe(
      'escape-privileged-device',
    );
  });
});
