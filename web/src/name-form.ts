// The workshop join's one question: the name the instructor will see in the control room.
// The server checks it (DISPLAY_NAME_PATTERN); the page checks it first only to answer faster.
import { DISPLAY_NAME_PATTERN } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

export function nameForm(onNamed: () => void): HTMLElement {
  const input = el('input', {
    className: 'display-name',
    attrs: { type: 'text', maxlength: '40', required: '', autocomplete: 'nickname' },
  });
  const problem = el('p', { className: 'name-problem', attrs: { role: 'alert' } });
  const text = ui();
  const submit = el('button', { text: text.joinWorkshop, attrs: { type: 'submit' } });
  const form = el('form', { className: 'name-form' }, [
    el('h1', { text: text.welcomeWorkshop }),
    el('label', { text: text.yourName }, [input]),
    el('p', { className: 'hint', text: text.nameRule }),
    submit,
    problem,
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!DISPLAY_NAME_PATTERN.test(name)) {
      problem.textContent = text.nameRejected;
      return;
    }
    submit.disabled = true;
    api.setDisplayName(name).then(onNamed, (error: unknown) => {
      submit.disabled = false;
      problem.textContent = error instanceof Error ? error.message : text.nameNotTaken;
    });
  });
  queueMicrotask(() => input.focus());
  return form;
}
