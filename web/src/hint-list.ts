// The hints an exercise has shown this learner, in order, and the Hint button that asks the
// server for the next one. The server picks and records every hint (a failed check's too),
// so the list is the same after a reload; the newest is marked so the eye finds it.
import type { ExerciseView, HintText } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

export interface HintList {
  element: HTMLElement;
  button: HTMLButtonElement;
  /** Adds a hint the server gave (with a failed check, or on request) and marks it newest. */
  show(hint: HintText): void;
}

export function hintList(sessionId: string, exercise: ExerciseView): HintList {
  const shown = new Map<number, string>();
  const text = ui();
  const list = el('ol', { className: 'hint-list', attrs: { 'aria-label': text.hints } });
  // The list is redrawn whole, so it is no live region; this line says only the new hint.
  const announce = el('span', { className: 'sr-only', attrs: { role: 'status' } });
  const button = el('button', {
    className: 'hint-button',
    attrs: { type: 'button', title: text.hintTitle },
  });
  const render = (latest: number | undefined): void => {
    const items = [...shown.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, hint]) =>
        el('li', { className: index === latest ? 'hint latest' : 'hint' }, [
          el('span', { className: 'hint-label', text: text.hintOf(index + 1, exercise.hintCount) }),
          hint,
        ]),
      );
    list.replaceChildren(...items);
    const left = exercise.hintCount - shown.size;
    button.disabled = left <= 0;
    button.textContent = left <= 0 ? text.noMoreHints : text.hintsLeft(left);
  };
  const show = (hint: HintText): void => {
    shown.set(hint.index, hint.text);
    render(hint.index);
    announce.textContent = `${text.hintOf(hint.index + 1, exercise.hintCount)}${hint.text}`;
  };
  for (const hint of exercise.hintsShown) shown.set(hint.index, hint.text);
  render(undefined);
  button.addEventListener('click', () => {
    button.disabled = true;
    api.hint(sessionId, exercise.id).then(
      (result) => show(result.hint),
      () => render(undefined),
    );
  });
  return { element: el('div', { className: 'hints' }, [list, announce]), button, show };
}
