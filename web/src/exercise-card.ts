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
import { ui } from './i18n/i18n.ts';
import { hintList, type HintList } from './hint-list.ts';

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

/** Shows the server's verdict: passed or not yet and the reason; its hint joins the list. */
function showVerdict(parts: CardParts, verdict: CheckResult): void {
  parts.card.classList.toggle('passed', verdict.passed);
  parts.result.className = `result ${verdict.passed ? 'pass' : 'fail'}`;
  parts.result.replaceChildren(
    el('strong', { text: verdict.passed ? ui().passed : ui().notYet }),
    verdict.reason,
  );
  if (verdict.hint !== undefined) parts.hints.show(verdict.hint);
}

/** How an exercise was settled: by the learner's own work, or shown with "Show me". */
export type Earned = 'passed' | 'revealed';

/** What an earlier session of this lab left: the card says so before any new check. */
function showEarlier(card: HTMLElement, result: HTMLElement, earlier: Earned): void {
  card.classList.add(earlier);
  result.className = `result ${earlier === 'passed' ? 'pass' : 'revealed'}`;
  result.textContent = earlier === 'passed' ? ui().passedEarlier : ui().revealedEarlier;
}

interface CardParts {
  card: HTMLElement;
  form: HTMLFormElement;
  input: HTMLInputElement | undefined;
  buttons: HTMLButtonElement[];
  skip: HTMLButtonElement;
  result: HTMLElement;
  hints: HintList;
}

function cardParts(sessionId: string, exercise: ExerciseView): CardParts {
  const hints = hintList(sessionId, exercise);
  const input = exercise.answer === null ? undefined : answerInput(exercise.answer);
  const text = ui();
  const button = el('button', { className: 'check', text: text.check, attrs: { type: 'submit' } });
  const skip = el('button', {
    className: 'skip',
    text: text.showMe,
    attrs: { type: 'button', title: text.showMeTitle },
  });
  const result = el('div', { className: 'result', attrs: { role: 'status' } });
  const form = el('form', { className: 'check-form' }, [
    ...(input === undefined || exercise.answer === null
      ? []
      : [el('label', { text: exercise.answer.label }, [input])]),
    button,
    hints.button,
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
      hints.element,
    ],
  );
  return { card, form, input, buttons: [button, skip], skip, result, hints };
}

/** Sends a check or a "Show me", with the buttons held while it runs. */
function runRequest(
  parts: CardParts,
  request: () => Promise<CheckResult>,
  pendingText: string,
  done: (verdict: CheckResult) => void,
): void {
  const { result, buttons } = parts;
  for (const b of buttons) b.disabled = true;
  result.className = 'result pending';
  result.textContent = pendingText;
  request()
    .then((verdict) => {
      showVerdict(parts, verdict);
      done(verdict);
    })
    .catch((error: unknown) => {
      result.className = 'result fail';
      result.textContent = error instanceof Error ? error.message : ui().checkCouldNotRun;
    })
    .finally(() => {
      for (const b of buttons) b.disabled = false;
    });
}

/** An exercise this server cannot run: its goal and the reason, with nothing to press. */
function unavailableCard(exercise: ExerciseView, reason: string): HTMLElement {
  return el(
    'section',
    { className: 'exercise-card unavailable', attrs: { 'data-exercise': exercise.id } },
    [
      el('h3', { text: exercise.title }),
      el('p', { className: 'goal', text: exercise.goal }),
      el('div', { className: 'result unavailable', attrs: { role: 'status' } }, [
        el('strong', { text: ui().exerciseNotHere }),
        reason,
      ]),
    ],
  );
}

export function exerciseCard(
  sessionId: string,
  exercise: ExerciseView,
  earlier: Earned | undefined,
  onResult: (result: CheckResult, how: 'checked' | 'revealed') => void,
): HTMLElement {
  if (exercise.unavailable !== undefined) return unavailableCard(exercise, exercise.unavailable);
  const parts = cardParts(sessionId, exercise);
  if (earlier !== undefined) showEarlier(parts.card, parts.result, earlier);
  parts.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const answer = parts.input?.value;
    runRequest(
      parts,
      () => api.check(sessionId, exercise.id, answer),
      ui().checking,
      (verdict) => onResult(verdict, 'checked'),
    );
  });
  parts.skip.addEventListener('click', () => {
    // Shown, not earned: the progress line and the store count it apart from a pass.
    const sure = window.confirm(ui().showMeConfirm);
    if (!sure) return;
    runRequest(
      parts,
      () => api.skip(sessionId, exercise.id),
      ui().runningSolution,
      (verdict) => {
        parts.card.classList.add('revealed');
        onResult(verdict, 'revealed');
      },
    );
  });
  return parts.card;
}
