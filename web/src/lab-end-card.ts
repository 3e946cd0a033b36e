// The lab's last card: what the learner now knows, and the next lab on the path. It appears
// once every exercise is passed by the learner's own work ("Show me" does not open it).
import type { SessionView } from '../../server/protocol/api-types.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

export interface LabEndCard {
  element: HTMLElement;
  /** Shows the card when `passed` covers every exercise of the lab. */
  update(passed: ReadonlySet<string>): void;
}

export function labEndCard(session: SessionView, onNext: (labId: string) => void): LabEndCard {
  const next = session.next;
  const action =
    next === undefined
      ? el('p', { text: ui().lastLab })
      : el('button', {
          className: 'start next-lab',
          text: ui().nextLab(next.title),
          attrs: { type: 'button', 'data-lab': next.id },
        });
  if (next !== undefined) {
    action.addEventListener('click', () => {
      (action as HTMLButtonElement).disabled = true;
      onNext(next.id);
    });
  }
  const element = el(
    'section',
    { className: 'lab-end', attrs: { hidden: '', 'aria-labelledby': 'lab-end-title' } },
    [
      el('h2', { text: ui().whatYouLearned, attrs: { id: 'lab-end-title' } }),
      el(
        'ul',
        {},
        session.learned.map((sentence) => el('li', { text: sentence })),
      ),
      action,
    ],
  );
  return {
    element,
    update: (passed) => {
      const wasHidden = element.hidden;
      element.hidden = !session.exercises.every(
        (exercise) => exercise.unavailable !== undefined || passed.has(exercise.id),
      );
      // Just finished: bring the card into view, so the next step is not missed.
      if (wasHidden && !element.hidden) element.scrollIntoView({ block: 'nearest' });
    },
  };
}
