// Two profiles side by side: which labs offer it, and that a lab may name only two different
// containers a learner types into.
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { CONTENT_DIR, goodLab } from './support/catalogue-fixtures.ts';

describe('side by side', () => {
  it('is offered by at least three labs, each naming two of its terminals', () => {
    const offering = labs.filter((lab) => lab.sideBySide !== undefined);
    expect(offering.length).toBeGreaterThanOrEqual(3);
    for (const lab of offering) expect(validateLab(lab, CONTENT_DIR)).toEqual([]);
  });

  it('refuses a pair that is not two different containers with terminals', () => {
    const base = goodLab({});
    const first = base.containers[0]?.name ?? '';
    const helper = {
      ...base.containers[0],
      name: 'helper',
      terminal: false,
    } as (typeof base.containers)[number];
    for (const pair of [
      [first, first],
      [first, 'missing'],
      [first, 'helper'],
    ] as const) {
      const lab = { ...base, containers: [...base.containers, helper], sideBySide: pair };
      expect(validateLab(lab, CONTENT_DIR).join('\n')).toContain('sideBySide');
    }
  });
});
