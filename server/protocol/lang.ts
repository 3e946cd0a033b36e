// The language a page reads nslab in, as it travels on the wire. The page sends it as the
// query parameter `lang` on every API call (ApiClient does it); the server answers in that
// language wherever a learner reads the text. A query parameter rather than a header: it
// shows in the address the request went to (logs, devtools), an EventSource can carry it,
// and a cached answer in one language is never served for the other (the URL differs).

/** The languages nslab teaches in; the same list as labs/shared/localized.ts (a unit test holds them equal). */
export const LANGUAGES = ['en', 'zh'] as const;
export type Lang = (typeof LANGUAGES)[number];

/**
 * A text in every language at once, for readings one server makes for several pages: the
 * inspector's stream is shared by all watchers of a session, whatever their language.
 */
export type InEveryLang = { readonly [L in Lang]: string };

/** The query parameter that carries it. */
export const LANG_PARAM = 'lang';
/** What a request without the parameter gets. */
export const DEFAULT_LANG: Lang = 'en';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** `path` with the language added to its query (absent for English, the default). */
export function withLang(path: string, lang: Lang | undefined): string {
  if (lang === undefined || lang === DEFAULT_LANG) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${LANG_PARAM}=${lang}`;
}
