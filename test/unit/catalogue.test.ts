// The Catalogue: the real labs, lookups by id, summaries, lessons, and broken labs refused.
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import type { EngineFacts } from '../../server/host/host-facts.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';
import { goodLab, CONTENT_DIR } from './support/catalogue-fixtures.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';

describe('Catalogue', () => {
  const catalogue = new Catalogue(labs, CONTENT_DIR);

  it('loads the real labs', () => {
    expect(catalogue.all().map((lab) => lab.id)).toContain('uts');
  });

  it('returns the uts lab for "uts"', () => {
    expect(catalogue.find('uts')?.id).toBe('uts');
    expect(inLang(catalogue.find('uts')?.title ?? '', 'en')).toMatch(/UTS/);
    expect(inLang(catalogue.find('uts')?.title ?? '', 'zh')).toMatch(/UTS/);
  });

  it.each([
    '../uts',
    '%2e%2e%2f',
    '%2e%2e%2futs',
    'UTS',
    '',
    'a'.repeat(65),
    'uts/',
    ' uts',
    'uts\n',
    '__proto__',
    'constructor',
  ])('finds nothing for %j', (id) => {
    expect(catalogue.find(id)).toBeUndefined();
  });

  it('finds nothing for a well-formed id that is not listed', () => {
    expect(catalogue.find('a'.repeat(64))).toBeUndefined();
    expect(catalogue.find('no-such-lab')).toBeUndefined();
  });

  const facts: EngineFacts = { ...TEST_FACTS, dataDisk: '/dev/vda' };

  it('lists summaries without checks, hints or solutions', () => {
    const summary = catalogue.summaries(facts, 'solo').find((s) => s.id === 'uts');
    expect(summary).toBeDefined();
    expect(Object.keys(summary ?? {}).sort()).toEqual([
      'id',
      'minutes',
      'summary',
      'title',
      'topic',
    ]);
  });

  it("in a workshop, offers only the escapes that land on a seat or on the session's own files", () => {
    const workshop = new Map(catalogue.summaries(facts, 'workshop').map((s) => [s.id, s]));
    for (const lab of labs) {
      const unavailable = workshop.get(lab.id)?.unavailable;
      if (lab.escape === true && lab.workshop === undefined)
        expect(unavailable, lab.id).toMatch(/only in solo mode/);
      else expect(unavailable ?? '', lab.id).not.toMatch(/solo mode/);
    }
    expect(labs.filter((l) => l.workshop !== undefined).map((l) => l.id)).toEqual([
      'escape-docker-sock',
      'escape-host-mount',
    ]);
    // Solo mode offers them all (what the host allows aside).
    for (const summary of catalogue.summaries(facts, 'solo'))
      expect(summary.unavailable ?? '').not.toMatch(/solo mode/);
  });

  it('holds the lesson markdown read from content/', () => {
    expect(catalogue.lessonMarkdown('uts')).toContain('{{exercise:own-namespace}}');
    expect(() => catalogue.lessonMarkdown('nope')).toThrow();
  });

  it('refuses to load a broken lab and names every problem', () => {
    const broken = goodLab({ id: 'Bad', lesson: 'missing.md' });
    expect(() => new Catalogue([broken], CONTENT_DIR)).toThrow(
      /invalid lab catalogue[\s\S]*id must match[\s\S]*missing\.md/,
    );
  });

  it('refuses two labs with the same id', () => {
    expect(() => new Catalogue([goodLab(), goodLab()], CONTENT_DIR)).toThrow(
      /lab id "good-lab" is repeated/,
    );
  });
});
