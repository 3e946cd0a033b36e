// A running lab: the lesson on the left with its Check cards, the terminals on the right
// (one tab per container of the lab).
import type { SessionView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { lessonPane } from './lesson-pane.ts';
import { sessionClockView } from './session-clock-view.ts';
import { terminalTabs } from './terminal-tabs.ts';
import type { SessionMessage } from './terminal-view.ts';

export interface LabViewHandle {
  element: HTMLElement;
  /** Opens the terminals; call after the element is in the document. */
  start(): void;
  dispose(): void;
}

/** Reset lab and End session. */
function labActions(
  session: SessionView,
  onEnd: () => void,
  onReset: (fresh: SessionView) => void,
  notify: (message: SessionMessage) => void,
): HTMLElement {
  const reset = el('button', {
    className: 'reset',
    text: 'Reset lab',
    attrs: { type: 'button', title: 'Remove these containers and start the lab afresh' },
  });
  reset.addEventListener('click', () => {
    reset.disabled = true;
    api.reset(session.id).then(onReset, (error: unknown) => {
      reset.disabled = false;
      notify({
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
  return el('div', { className: 'actions' }, [reset, end]);
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
  const { lesson, progress } = lessonPane(session);
  const terminals = terminalTabs(session, setStatus, onSessionMessage, () => clock.activity());
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
        terminals.tabs,
        labActions(session, onEnd, onReset, onSessionMessage),
      ]),
      notices,
      terminals.stack,
    ]),
  ]);
  return {
    element,
    start: () => {
      for (const view of terminals.views) view.open();
      terminals.select(0);
    },
    dispose: () => {
      clock.dispose();
      for (const view of terminals.views) view.dispose();
    },
  };
}
