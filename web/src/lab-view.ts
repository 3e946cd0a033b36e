// A running lab: the lesson on the left with its Check cards, the terminals on the right
// (one tab per container of the lab).
import type { SessionView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { exerciseCard } from './exercise-card.ts';
import { sessionClockView } from './session-clock-view.ts';
import { TerminalView, type SessionMessage, type TerminalState } from './terminal-view.ts';

export interface LabViewHandle {
  element: HTMLElement;
  /** Opens the terminals; call after the element is in the document. */
  start(): void;
  dispose(): void;
}

export function labView(
  session: SessionView,
  setStatus: (text: string, tone: 'ok' | 'warn' | 'bad') => void,
  onEnd: () => void,
  onReset: (fresh: SessionView) => void,
): LabViewHandle {
  const clock = sessionClockView(session);
  const notices = el('div', { className: 'notices', attrs: { role: 'alert' } });
  const onSessionMessage = (message: SessionMessage): void => {
    if (message.type === 'status') {
      clock.update(message);
      return;
    }
    notices.replaceChildren(
      el('div', { className: `notice ${message.level}`, text: message.message }),
    );
  };
  const lesson = el('article', { className: 'lesson' });
  // The server sanitizes the lesson HTML (marked + sanitize-html) before it leaves.
  lesson.innerHTML = session.lessonHtml;
  const passed = new Set<string>();
  const progress = el('span', { className: 'progress' });
  const showProgress = (): void => {
    progress.textContent = `${passed.size}/${session.exercises.length} exercises passed`;
  };
  showProgress();
  for (const exercise of session.exercises) {
    const card = exerciseCard(session.id, exercise, (result) => {
      if (result.passed) passed.add(exercise.id);
      showProgress();
    });
    const slot = lesson.querySelector(`div.exercise[data-exercise="${CSS.escape(exercise.id)}"]`);
    if (slot === null) lesson.append(card);
    else slot.replaceWith(card);
  }

  const states = new Map<string, TerminalState>();
  const report = (name: string, state: TerminalState, detail?: string): void => {
    states.set(name, state);
    const all = [...states.values()];
    if (all.includes('ended')) setStatus(detail ?? 'The session has ended.', 'bad');
    else if (all.includes('reconnecting')) setStatus('Reconnecting…', 'warn');
    else if (all.every((s) => s === 'ready')) setStatus('Connected', 'ok');
    else setStatus('Connecting…', 'warn');
  };
  const terminals = session.terminals.map(
    (t) =>
      new TerminalView(
        session.id,
        t.name,
        (state, detail) => report(t.name, state, detail),
        onSessionMessage,
        () => clock.activity(),
      ),
  );
  const tabs = el('div', { className: 'tabs', attrs: { role: 'tablist' } });
  const stack = el('div', { className: 'terminal-stack' });
  const select = (index: number): void => {
    terminals.forEach((view, i) => {
      view.element.hidden = i !== index;
      tabs.children[i]?.setAttribute('aria-selected', String(i === index));
    });
    terminals[index]?.focus();
  };
  session.terminals.forEach((t, index) => {
    const tab = el('button', {
      className: 'tab',
      text: t.title,
      attrs: { role: 'tab', type: 'button', 'data-terminal': t.name, title: t.dockerRun },
    });
    tab.addEventListener('click', () => select(index));
    tabs.append(tab);
  });
  for (const view of terminals) stack.append(view.element);

  const reset = el('button', {
    className: 'reset',
    text: 'Reset lab',
    attrs: { type: 'button', title: 'Remove these containers and start the lab afresh' },
  });
  reset.addEventListener('click', () => {
    reset.disabled = true;
    api.reset(session.id).then(onReset, (error: unknown) => {
      reset.disabled = false;
      onSessionMessage({
        type: 'notice',
        level: 'error',
        message: error instanceof Error ? error.message : 'Reset failed.',
      });
    });
  });
  const end = el('button', { className: 'end', text: 'End session', attrs: { type: 'button' } });
  end.addEventListener('click', () => {
    end.disabled = true;
    void api.endSession(session.id).finally(onEnd);
  });
  const element = el('div', { className: 'lab-view' }, [
    el('div', { className: 'lesson-pane' }, [
      el('div', { className: 'lab-header' }, [
        el('h1', { text: session.lab.title }),
        el('div', { className: 'lab-meta' }, [progress, clock.element]),
      ]),
      lesson,
    ]),
    el('div', { className: 'terminal-pane' }, [
      el('div', { className: 'terminal-bar' }, [
        tabs,
        el('div', { className: 'actions' }, [reset, end]),
      ]),
      notices,
      stack,
    ]),
  ]);
  return {
    element,
    start: () => {
      for (const view of terminals) view.open();
      select(0);
    },
    dispose: () => {
      clock.dispose();
      for (const view of terminals) view.dispose();
    },
  };
}
