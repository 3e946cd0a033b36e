// Every real lab is translated: its Chinese lesson keeps the English one's skeleton and every
// static learner-facing field has both languages. This is the check that tells an author
// adding a lab exactly what is left to translate (the server logs the same at start-up).
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { translationProblems } from '../../server/catalogue/validate-translation.ts';
import { CONTENT_DIR } from './support/catalogue-fixtures.ts';

describe('the Chinese translation of every lab', () => {
  it.each(labs.map((lab) => [lab.id, lab] as const))('%s is complete', (_id, lab) => {
    expect(translationProblems(lab, CONTENT_DIR)).toEqual([]);
  });
});
