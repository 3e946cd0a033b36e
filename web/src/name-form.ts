// The workshop join's one question: the name the instructor will see in the control room.
// The server checks it (DISPLAY_NAME_PATTERN); the page checks it first only to answer faster.
import { DISPLAY_NAME_PATTERN } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';

export function nameForm(onNamed: () => void): HTMLElement {
  const input = el('input', {
    className: 'display-name',
    attrs: { type: 'text', maxlength: '40', required: '', autocomplete: 'nickname' },
  });
  const problem = el('p', { className: 'name-problem', attrs: { role: 'alert' } });
  const submit = el('button', { text: 'Join the workshop', attrs: { type: 'submit' } });
  const form = el('form', { className: 'name-form' }, [
    el('h1', { text: 'Welcome to the workshop' }),
    el('label', { text: 'Your name, as the instructor will see it' }, [input]),
    el('p', {
      className: 'hint',
      text: 'Up to 40 letters, digits, spaces, dots, dashes or underscores.',
    }),
    submit,
    problem,
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!DISPLAY_NAME_PATTERN.test(name)) {
      problem.textContent =
        'That name has characters nslab does not take, or is empty or too long.';
      return;
    }
    submit.disabled = true;
    api.setDisplayName(name).then(onNamed, (error: unknown) => {
      submit.disabled = false;
      problem.textContent = error instanceof Error ? error.message : 'The name was not taken.';
    });
  });
  queueMicrotask(() => input.focus());
  return form;
}
