// Which language the page starts in: the reader's own choice if this browser remembers one,
// else the browser's languages (the first that is Chinese or English decides; zh-CN, zh-TW,
// zh-Hans all read Chinese), else English. What localStorage holds is untrusted: anything but
// a known language is ignored.
import { DEFAULT_LANG, isLang, type Lang } from '../../../server/protocol/lang.ts';

/** Where the browser remembers the reader's choice. */
export const LANG_STORAGE_KEY = 'nslab.lang';

export function chooseLang(stored: string | null, browserLanguages: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const language of browserLanguages) {
    const tag = language.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANG;
}

/** The `<html lang>` for a language: Chinese here is Simplified Chinese. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}
