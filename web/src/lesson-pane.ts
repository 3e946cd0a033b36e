// The lesson with its Check cards in place, and the lab's progress line. Progress starts from
// what the server remembers (earlier sessions of this lab), and a "Show me" counts as shown,
// never as passed.
import type { SessionView } from '../../server/protocol/api-types.ts';
import { addCodeActions, type TypeIntoTerminal } from './code-actions.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { exerciseCard, type Earned } from './exercise-card.ts';
import { labEndCard } from './lab-end-card.ts';

export interface LessonPane {
  lesson: HTMLElement;
  progress: HTMLElement;
}

export function lessonPane(
  session: SessionView,
  typeInto: TypeIntoTerminal,
  onNext: (labId: string) => void,
): LessonPane {
  const lesson = el('article', { className: 'lesson' });
  // The server sanitizes the lesson HTML (marked + sanitize-html) before it leaves.
  lesson.innerHTML = session.lessonHtml;
  addCodeActions(lesson, typeInto);
  // A docker run line can be wider than the pane: a keyboard must be able to scroll it too.
  for (const pre of lesson.querySelectorAll<HTMLElement>('pre.docker-run')) pre.tabIndex = 0;
  const passed = new Set(session.progress.passed);
  const revealed = new Set(session.progress.revealed.filter((id) => !passed.has(id)));
  const progress = el('span', { className: 'progress', attrs: { role: 'status' } });
  const end = labEndCard(session, onNext);
  const showProgress = (): void => {
    end.update(passed);
    const text = ui();
    const shown = revealed.size === 0 ? '' : text.exercisesShown(revealed.size);
    // An exercise this host cannot run is not counted: the lab can be finished without it.
    const runnable = session.exercises.filter((e) => e.unavailable === undefined);
    const done = runnable.filter((e) => passed.has(e.id)).length;
    progress.textContent = `${text.exercisesPassed(done, runnable.length)}${shown}`;
  };
  showProgress();
  for (const exercise of session.exercises) {
    const earlier: Earned | undefined = passed.has(exercise.id)
      ? 'passed'
      : revealed.has(exercise.id)
        ? 'revealed'
        : undefined;
    const card = exerciseCard(session.id, exercise, earlier, (result, how) => {
      if (how === 'revealed') {
        if (!passed.has(exercise.id)) revealed.add(exercise.id);
      } else if (result.passed) {
        passed.add(exercise.id);
        revealed.delete(exercise.id);
      }
      showProgress();
    });
    const slot = lesson.querySelector(`div.exercise[data-exercise="${CSS.escape(exercise.id)}"]`);
    if (slot === null) lesson.append(card);
    else slot.replaceWith(card);
  }
  lesson.append(end.element);
  return { lesson, progress };
}
