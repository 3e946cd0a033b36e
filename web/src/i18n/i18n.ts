// The page's language now: its strings (ui()), the `<html lang>`, the API's `lang` parameter,
// and the reader's choice remembered in this browser. Views read ui() when they are built, so
// a switch re-renders the current view (main.ts) rather than patching every node.
import type { Lang } from '../../../server/protocol/lang.ts';
import { api } from '../api.ts';
import { en, type Messages } from './en.ts';
import { HOST_WORDS, type HostWords } from './host-words.ts';
import { chooseLang, htmlLang, LANG_STORAGE_KEY } from './lang-choice.ts';
import { zh } from './zh.ts';

const MESSAGES: Record<Lang, Messages> = { en, zh };

function remembered(): string | null {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    // Storage can be refused (privacy settings): the browser's languages decide.
    return null;
  }
}

let current: Lang = chooseLang(remembered(), navigator.languages);

function apply(lang: Lang): void {
  current = lang;
  document.documentElement.lang = htmlLang(lang);
  api.lang = lang;
}
apply(current);

export function currentLang(): Lang {
  return current;
}

/** The page's strings in the current language. */
export function ui(): Messages {
  return MESSAGES[current];
}

/** The inspector's, the comparison's and preflight's words in the current language. */
export function hw(): HostWords {
  return HOST_WORDS[current];
}

/** Switches language and remembers it; the caller re-renders what is shown. */
export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not remembered, but this page still switches.
  }
  apply(lang);
}
