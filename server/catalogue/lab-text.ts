// Learner-facing text in a lab definition: a plain string (the same in every language, as
// every lab was before the translation) or a Localized pair written with labs/shared's `t`.
// Whatever shows it to a learner resolves it with inLang in the request's language; what no
// learner reads (logs, the CSV export, verify's report) resolves it in English.
import type { Lang } from '../protocol/lang.ts';

/** One string in each language; the same shape as labs/shared/localized.ts's Localized. */
export type Localized = { readonly [L in Lang]: string };

/** A lab's learner-facing text: Localized once translated; a plain string reads the same in both. */
export type LabText = string | Localized;

/**
 * The text in `lang`. A Localized whose text in `lang` is empty reads in English: the
 * translation check reports it, and a learner is better served by English than by a blank.
 */
export function inLang(text: LabText, lang: Lang): string {
  if (typeof text === 'string') return text;
  return text[lang].trim() === '' ? text.en : text[lang];
}

/** The server's own learner-facing words, in both languages (labs write theirs with `t`). */
export function both(en: string, zh: string): Localized {
  return { en, zh };
}

/** The text in every language at once, resolved as inLang does (the server's messages relay it). */
export function everyLang(text: LabText): Localized {
  return { en: inLang(text, 'en'), zh: inLang(text, 'zh') };
}
