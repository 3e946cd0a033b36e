// What the server says to a person (an error body, a terminal notice, a preflight reason), in
// every language at once. Each message is defined once, where it is raised, with `message`:
// a stable id that clients and tests match on, the English and the Chinese text, and the
// placeholders both fill (`{{max}}`). The English decides the placeholders' names at the type
// level, so a caller that forgets one does not compile; the catalogue below lets a unit test
// prove every message has both languages with the same placeholders.
import type { InEveryLang, Lang } from '../protocol/lang.ts';

/** A placeholder's value: a name or number (the same in every language), or a message of its own. */
export type MessageParam = string | number | ServerMessage;
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** One message as raised: its id, its text in every language, and the values it fills in. */
export interface ServerMessage {
  readonly id: string;
  readonly text: InEveryLang;
  readonly params: MessageParams;
}

/** The names between `{{` and `}}` in a message's English text. */
export type ParamsOf<S extends string> = S extends `${string}{{${infer P}}}${infer Rest}`
  ? P | ParamsOf<Rest>
  : never;

/** A defined message: called with its placeholders' values (none when it has none). */
export type MessageTemplate<P extends string> = ([P] extends [never]
  ? () => ServerMessage
  : (params: Readonly<Record<P, MessageParam>>) => ServerMessage) & {
  readonly id: string;
  readonly text: InEveryLang;
};

const catalogue: { id: string; text: InEveryLang }[] = [];

/** Defines one message; `en` and `zh` name the same `{{placeholders}}`. */
export function message<const E extends string>(
  id: string,
  en: E,
  zh: string,
): MessageTemplate<ParamsOf<E>> {
  const text: InEveryLang = { en, zh };
  catalogue.push({ id, text });
  const make = (params: MessageParams = {}): ServerMessage => ({ id, text, params });
  const template: unknown = Object.assign(make, { id, text });
  // The call signature's parameters come from E, which only the type level can read.
  return template as MessageTemplate<ParamsOf<E>>;
}

/**
 * A message whose words come from elsewhere already in both languages (a lab's own
 * `t(en, zh)`, which the translation check covers), under a stable id.
 */
export function relayed(id: string, text: InEveryLang): ServerMessage {
  return { id, text, params: {} };
}

/** Every message defined by the modules loaded so far (the translation test loads them all). */
export function definedMessages(): readonly { id: string; text: InEveryLang }[] {
  return catalogue;
}

/** The placeholders a text names, sorted (the test compares the two languages' lists). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** One placeholder's value in `lang` (a message inside a message is rendered in the same language). */
export function renderParam(value: MessageParam, lang: Lang): string {
  return typeof value === 'object' ? render(value, lang) : String(value);
}

/** The message in `lang` with its placeholders filled; English where `lang`'s text is empty. */
export function render(said: ServerMessage, lang: Lang): string {
  const template = said.text[lang].trim() === '' ? said.text.en : said.text[lang];
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = said.params[name];
    return value === undefined ? whole : renderParam(value, lang);
  });
}

/** The message in every language, for what several readers share (a terminal's watchers). */
export function inEveryLang(said: ServerMessage): InEveryLang {
  return { en: render(said, 'en'), zh: render(said, 'zh') };
}
