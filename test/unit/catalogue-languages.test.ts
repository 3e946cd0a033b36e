// The catalogue at start-up: each lab's lesson in both languages, a broken or missing Chinese
// lesson reported in one error line naming the lab and served in English instead.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { t } from '../../labs/shared/localized.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { log } from '../../server/log.ts';
import { exercise, goodLab } from './support/catalogue-fixtures.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';

const EN = '# Lesson\n\n## See it\n\n{{exercise:ex}}\n\n```sh\nhostname\n```\n';
const ZH = '# 课程\n\n## 观察\n\n{{exercise:ex}}\n\n```sh\nhostname\n```\n';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nslab-catalogue-'));
mkdirSync(path.join(dir, 'zh'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A lab with every text in both languages, whose lesson is `<id>.md` in the test's content. */
function lab(id: string) {
  return goodLab({
    id,
    lesson: `${id}.md`,
    title: t('Title', '标题'),
    summary: t('Summary.', '摘要。'),
    learned: [t('Something learned here.', '在这里学到的东西。')],
    containers: [{ name: 'box', title: t('box', '盒子') }],
    exercises: [
      exercise({ title: t('Do', '做'), goal: t('Do it.', '做它。'), hints: [t('think', '想')] }),
    ],
  });
}

describe('the catalogue in two languages', () => {
  it('serves content/zh/<lab>.md to Chinese readers and logs nothing for a complete lab', () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    writeFileSync(path.join(dir, 'done.md'), EN);
    writeFileSync(path.join(dir, 'zh', 'done.md'), ZH);
    const catalogue = new Catalogue([lab('done')], dir);
    expect(catalogue.lessonMarkdown('done', 'zh')).toBe(ZH);
    expect(catalogue.lessonMarkdown('done', 'en')).toBe(EN);
    expect(catalogue.lessonMarkdown('done')).toBe(EN);
    expect(errors).not.toHaveBeenCalled();
  });

  it('starts with a lab whose Chinese lesson is missing, says so, and serves it in English', () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    writeFileSync(path.join(dir, 'missing.md'), EN);
    const catalogue = new Catalogue([lab('missing')], dir);
    expect(catalogue.lessonMarkdown('missing', 'zh')).toBe(EN);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]?.[0]).toBe(
      'lab missing is not fully translated into Chinese (1 problem; Chinese readers get it in English): content/zh/missing.md is missing',
    );
  });

  it('serves English for a Chinese lesson that lost an exercise slot', () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    writeFileSync(path.join(dir, 'broken.md'), EN);
    writeFileSync(path.join(dir, 'zh', 'broken.md'), ZH.replace('{{exercise:ex}}', ''));
    const catalogue = new Catalogue([lab('broken')], dir);
    expect(catalogue.lessonMarkdown('broken', 'zh')).toBe(EN);
    expect(errors.mock.calls[0]?.[0]).toContain('content/zh/broken.md template tag 1 is missing');
  });

  it('keeps the Chinese lesson when only a text of the definition is untranslated', () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    writeFileSync(path.join(dir, 'texts.md'), EN);
    writeFileSync(path.join(dir, 'zh', 'texts.md'), ZH);
    const catalogue = new Catalogue([{ ...lab('texts'), summary: 'English only.' }], dir);
    expect(catalogue.lessonMarkdown('texts', 'zh')).toBe(ZH);
    expect(catalogue.summaries(TEST_FACTS, 'solo', undefined, 'zh')[0]).toMatchObject({
      title: '标题',
      summary: 'English only.',
    });
    expect(errors.mock.calls[0]?.[0]).toContain('summary has no Chinese text');
  });
});
