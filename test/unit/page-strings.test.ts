// The page's own strings: Chinese has every key English has (the type says so at compile
// time; this says it of the running objects too), no value is empty, and every string with
// values in it gives words for them. Also which language a new browser starts in.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.ts';
import { chooseLang, htmlLang } from '../../web/src/i18n/lang-choice.ts';
import { zh } from '../../web/src/i18n/zh.ts';

const CJK = /[\u4e00-\u9fff]/;

/** Calls a message function with sample values of the right kinds. */
function render(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'function') {
    const args = Array.from({ length: value.length }, (_v, i) => (i % 2 === 0 ? 3 : 'x'));
    const numbers = Array.from({ length: value.length }, () => 3);
    const strings = Array.from({ length: value.length }, () => 'x');
    return [args, numbers, strings].map((a) =>
      String((value as (...v: unknown[]) => unknown)(...a)),
    );
  }
  throw new Error(`unexpected message value ${typeof value}`);
}

describe('the page strings', () => {
  it('has every English key in Chinese, and no other', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s is filled in both languages, of the same kind', (key) => {
    const english = en[key as keyof typeof en];
    const chinese = zh[key as keyof typeof zh];
    expect(typeof chinese).toBe(typeof english);
    if (typeof english === 'function' && typeof chinese === 'function')
      expect(chinese.length).toBe(english.length);
    if (Array.isArray(english)) expect((chinese as readonly string[]).length).toBe(english.length);
    // A table's last column head is empty on purpose (the row's buttons).
    const filled = (texts: string[]): string[] =>
      Array.isArray(english) ? texts.slice(0, -1) : texts;
    for (const text of [...filled(render(english)), ...filled(render(chinese))])
      expect(text.trim()).not.toBe('');
    for (const text of render(chinese)) expect(text).not.toContain('undefined');
  });

  it('is Chinese in zh.ts where English has words (brand names and symbols aside)', () => {
    // Punctuation around a text that is itself translated (a risk's setting and source).
    const sameOnPurpose = new Set([
      'pageTitle',
      'labPageTitle',
      'webgl',
      'matchOf',
      'topicName',
      'riskSetting',
      'riskSource',
    ]);
    const untranslated = Object.keys(en).filter((key) => {
      if (sameOnPurpose.has(key)) return false;
      const texts = render(zh[key as keyof typeof zh]).filter((text) => text !== '');
      return !texts.some((text) => CJK.test(text));
    });
    expect(untranslated).toEqual([]);
  });

  it('names the path topics in Chinese, and a new topic as it is', () => {
    expect(zh.topicName('namespaces')).toBe('命名空间');
    expect(zh.topicName('control groups')).toBe('控制组');
    expect(zh.topicName('something new')).toBe('something new');
    expect(en.topicName('namespaces')).toBe('namespaces');
  });
});

describe('the language a browser starts in', () => {
  it('keeps the choice this browser remembers', () => {
    expect(chooseLang('zh', ['en-US'])).toBe('zh');
    expect(chooseLang('en', ['zh-CN'])).toBe('en');
  });

  it.each([
    [['zh-CN', 'en'], 'zh'],
    [['zh'], 'zh'],
    [['zh-TW'], 'zh'],
    [['zh-Hans-CN'], 'zh'],
    [['en-US', 'zh-CN'], 'en'],
    [['de-DE', 'zh-CN'], 'zh'],
    [['de-DE'], 'en'],
    [[], 'en'],
    [['zhx'], 'en'],
  ] as const)('reads %j as %s', (languages, lang) => {
    expect(chooseLang(null, languages)).toBe(lang);
  });

  it('ignores a remembered value it does not know', () => {
    expect(chooseLang('fr', ['zh-CN'])).toBe('zh');
    expect(chooseLang('{"x":1}', [])).toBe('en');
  });

  it('declares Chinese pages as Simplified Chinese', () => {
    expect(htmlLang('zh')).toBe('zh-Hans');
    expect(htmlLang('en')).toBe('en');
  });
});
