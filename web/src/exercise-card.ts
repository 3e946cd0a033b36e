// The Check card for one exercise, placed where the lesson's {{exercise:id}} marker was.
// It shows the goal, an answer box for answer exercises, and the server's verdict with the
// hint that fits; the expected answer never reaches the browser.
import {
  MAX_ANSWER_LENGTH,
  type CheckResult,
  type ExerciseView,
} from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';

function answerInput(answer: NonNullable<ExerciseView['answer']>): HTMLInputElement {
  return el('input', {
    className: 'answer',
    attrs: {
      type: 'text',
      placeholder: answer.placeholder,
      'aria-label': answer.label,
      maxlength: String(MAX_ANSWER_LENGTH),
      spellcheck: 'false',
    },
  });
}

/** Shows the server's verdict: passed or not yet, the reason, and the hint that fits. */
function showVerdict(card: HTMLElement, result: HTMLElement, verdict: CheckResult): void {
  card.classList.toggle('passed', verdict.passed);
  result.className = `result ${verdict.passed ? 'pass' : 'fail'}`;
  result.replaceChildren(
    el('strong', { text: verdict.passed ? 'Passed. ' : 'Not yet. ' }),
    verdict.reason,
    ...(verdict.hint === undefined
      ? []
      : [el('p', { className: 'hint', text: `Hint: ${verdict.hint.text}` })]),
  );
}

/** How an exercise was settled: by the learner's own work, or shown with "Show me". */
export type Earned = 'passed' | 'revealed';

/** What an earlier session of this lab left: the card says so before any new check. */
function showEarlier(card: HTMLElement, result: HTMLElement, earlier: Earned): void {
  card.classList.add(earlier);
  result.className = `result ${earlier === 'passed' ? 'pass' : 'revealed'}`;
  result.textContent =
    earlier === 'passed'
      ? 'Passed in an earlier session of this lab. Check again any time.'
      : 'Shown with "Show me" earlier, not yet done by you: try it yourself and Check.';
}

export function exerciseCard(
  sessionId: string,
  exercise: ExerciseView,
  earlier: Earned | undefined,
  onResult: (result: CheckResult, how: 'checked' | 'revealed') => void,
): HTMLElement {
  const input = exercise.answer === null ? undefined : answerInput(exercise.answer);
  const button = el('button', { className: 'check', text: 'Check', attrs: { type: 'submit' } });
  const skip = el('button', {
    className: 'skip',
    text: 'Show me',
    attrs: { type: 'button', title: 'Run the reference solution for this exercise, then check it' },
  });
  const result = el('div', { className: 'result', attrs: { role: 'status' } });
  const form = el('form', { className: 'check-form' }, [
    ...(input === undefined || exercise.answer === null
      ? []
      : [el('label', { text: exercise.answer.label }, [input])]),
    button,
    skip,
  ]);
  const card = el(
    'section',
    { className: 'exercise-card', attrs: { 'data-exercise': exercise.id } },
    [
      el('h3', { text: exercise.title }),
      el('p', { className: 'goal', text: exercise.goal }),
      form,
      result,
    ],
  );
  if (earlier !== undefined) showEarlier(card, result, earlier);
  const run = (
    request: () => Promise<CheckResult>,
    pendingText: string,
    how: 'checked' | 'revealed',
  ): void => {
    button.disabled = true;
    skip.disabled = true;
    result.className = 'result pending';
    result.textContent = pendingText;
    request()
      .then((verdict) => {
        showVerdict(card, result, verdict);
        if (how === 'revealed') card.classList.add('revealed');
        onResult(verdict, how);
      })
      .catch((error: unknown) => {
        result.className = 'result fail';
        result.textContent = error instanceof Error ? error.message : 'The check could not run.';
      })
      .finally(() => {
        button.disabled = false;
        skip.disabled = false;
      });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(() => api.check(sessionId, exercise.id, input?.value), 'Checking…', 'checked');
  });
  skip.addEventListener('click', () => {
    // Shown, not earned: the progress line and the store count it apart from a pass.
    if (
      !window.confirm(
        'Type the reference solution into your terminal? It counts as shown, not as done by you.',
      )
    )
      return;
    run(() => api.skip(sessionId, exercise.id), 'Running the reference solution…', 'revealed');
  });
  return card;
}
