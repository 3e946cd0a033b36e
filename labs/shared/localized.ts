// Text a learner reads, in every language nslab teaches in. Lab definitions write each
// learner-facing string (titles, goals, hints, what was learned, check reasons) with `t`,
// so a missing translation is a type error in that lab's own file, not a blank on the page.

/** The languages nslab teaches in: English, and Simplified Chinese for the seeds' readers. */
export const LANGUAGES = ['en', 'zh'] as const;
export type Lang = (typeof LANGUAGES)[number];

export interface Localized {
  readonly en: string;
  readonly zh: string;
}

/** One learner-facing string in both languages: t('English', '中文'). */
export function t(en: string, zh: string): Localized {
  return { en, zh };
}
