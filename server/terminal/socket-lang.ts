// The language each terminal socket reads in, from `?lang=` on its WebSocket address (the
// same parameter, and the same refusal of a bad value, as the API's). A session's notices go
// to the learner and to the instructor watching, who may read different languages, so each
// control message is rendered per socket, not once per session.
import type WebSocket from 'ws';
import { render, type ServerMessage } from '../errors/server-message.ts';
import { DEFAULT_LANG, LANG_PARAM, isLang, type Lang } from '../protocol/lang.ts';
import type { ServerControl } from '../protocol/terminal-messages.ts';

const langs = new WeakMap<WebSocket, Lang>();

/**
 * The language a WebSocket address asks for: absent is English, a known language is itself,
 * anything else (or the parameter twice) undefined, which the gateway refuses with a 400.
 */
export function upgradeLang(url: URL): Lang | undefined {
  const values = url.searchParams.getAll(LANG_PARAM);
  if (values.length === 0) return DEFAULT_LANG;
  const [value] = values;
  return values.length === 1 && isLang(value) ? value : undefined;
}

export function setSocketLang(socket: WebSocket, lang: Lang): void {
  langs.set(socket, lang);
}

export function socketLang(socket: WebSocket): Lang {
  return langs.get(socket) ?? DEFAULT_LANG;
}

/** The control messages that carry words, with the words as a ServerMessage. */
export type SaidControl =
  | { type: 'exit'; code: number | null; reason: ServerMessage }
  | { type: 'error'; message: ServerMessage }
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: ServerMessage };

/** What the server hands a terminal to send: words as messages, everything else as is. */
export type OutgoingControl = Exclude<ServerControl, { type: SaidControl['type'] }> | SaidControl;

/** The control message as `lang`'s reader gets it on the wire. */
export function inSocketLang(control: OutgoingControl, lang: Lang): ServerControl {
  switch (control.type) {
    case 'exit':
      return { ...control, reason: render(control.reason, lang) };
    case 'error':
    case 'notice':
      return { ...control, message: render(control.message, lang) };
    default:
      return control;
  }
}
