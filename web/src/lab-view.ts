// A running lab: the lesson on the left with its Check cards, the terminals on the right
// (one tab per container of the lab) and, when opened, the isolation inspector beside them.
import type { SessionView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { inspectorPanel } from './inspector-panel.ts';
import { lessonPane } from './lesson-pane.ts';
import { playgroundPanel } from './playground-panel.ts';
import { sideBySide } from './side-by-side.ts';
import { sessionClockView } from './session-clock-view.ts';
import { terminalTabs } from './terminal-tabs.ts';
import { terminalTools } from './terminal-tools.ts';
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
    text: ui().resetLab,
    attrs: { type: 'button', title: ui().resetLabTitle },
  });
  reset.addEventListener('click', () => {
    reset.disabled = true;
    api.reset(session.id).then(onReset, (error: unknown) => {
      reset.disabled = false;
      notify({
        type: 'notice',
        level: 'error',
        message: error instanceof Error ? error.message : ui().resetFailed,
      });
    });
  });
  const end = el('button', { className: 'end', text: ui().endSession, attrs: { type: 'button' } });
  end.addEventListener('click', () => {
    end.disabled = true;
    void api.endSession(session.id).finally(onEnd);
  });
  return el('div', { className: 'actions' }, [reset, end]);
}

/** What the instructor does to this session: watching it (a banner) and resetting it. */
function instructorSignals(
  onEnd: () => void,
  onReset: (fresh: SessionView) => void,
): {
  banner: HTMLElement;
  handle(message: Extract<SessionMessage, { type: 'watched' | 'replaced' }>): void;
} {
  const banner = el('div', {
    className: 'watched-banner',
    text: ui().instructorWatching,
    attrs: { hidden: '' },
  });
  let replaced = false;
  return {
    banner,
    handle: (message) => {
      if (message.type === 'watched') {
        banner.hidden = !message.watching;
        return;
      }
      // Every terminal of the session hears it; the page moves once.
      if (replaced) return;
      replaced = true;
      void api.session(message.sessionId).then(onReset, () => onEnd());
    },
  };
}

/** Where each message the terminals hear about the session goes on the page. */
function sessionMessages(
  clock: { update(message: Extract<SessionMessage, { type: 'status' }>): void },
  instructor: ReturnType<typeof instructorSignals>,
  notices: HTMLElement,
): (message: SessionMessage) => void {
  return (message) => {
    if (message.type === 'status') {
      clock.update(message);
      return;
    }
    if (message.type === 'watched' || message.type === 'replaced') {
      instructor.handle(message);
      return;
    }
    notices.replaceChildren(
      el('div', { className: `notice ${message.level}`, text: message.message }),
    );
  };
}

/** The terminals' side: tabs, side-by-side and inspector switches, tools, notices, terminals. */
function terminalSide(
  session: SessionView,
  parts: {
    terminals: ReturnType<typeof terminalTabs>;
    inspector: ReturnType<typeof inspectorPanel>;
    actions: HTMLElement;
    banner: HTMLElement;
    notices: HTMLElement;
  },
): { pane: HTMLElement; tools: ReturnType<typeof terminalTools> } {
  const { terminals, inspector } = parts;
  const body = el('div', { className: 'terminal-body' }, [terminals.stack, inspector.element]);
  const pair =
    session.sideBySide === undefined
      ? undefined
      : sideBySide(session.sideBySide, terminals, inspector, body);
  const pane = el('div', { className: 'terminal-pane' });
  const tools = terminalTools(() => terminals.front(), pane);
  pane.append(
    el('div', { className: 'terminal-bar' }, [
      terminals.tabs,
      el('div', { className: 'bar-end' }, [
        ...(pair === undefined ? [] : [pair.controls]),
        inspector.toggle,
        parts.actions,
      ]),
    ]),
    tools.element,
    parts.banner,
    parts.notices,
    body,
  );
  return { pane, tools };
}

export function labView(
  session: SessionView,
  setStatus: (text: string, tone: 'ok' | 'warn' | 'bad') => void,
  onEnd: () => void,
  onReset: (fresh: SessionView) => void,
  /** The end card's "Next lab": this session ends and that lab starts. */
  onNext: (labId: string) => void,
): LabViewHandle {
  const clock = sessionClockView(session);
  const notices = el('div', { className: 'notices', attrs: { role: 'alert' } });
  const instructor = instructorSignals(onEnd, onReset);
  const onSessionMessage = sessionMessages(clock, instructor, notices);
  const inspector = inspectorPanel(session.id, session.terminals[0]?.name ?? '');
  const terminals = terminalTabs(
    session,
    setStatus,
    onSessionMessage,
    () => clock.activity(),
    (name) => inspector.follow(name),
  );
  const { lesson, progress } = lessonPane(session, terminals.typeInto, onNext);
  const { pane, tools } = terminalSide(session, {
    terminals,
    inspector,
    actions: labActions(session, onEnd, onReset, onSessionMessage),
    banner: instructor.banner,
    notices,
  });
  const element = el('div', { className: 'lab-view' }, [
    el('div', { className: 'lesson-pane' }, [
      el('div', { className: 'lab-header' }, [
        el('h1', { text: session.lab.title }),
        el('div', { className: 'lab-meta' }, [progress, clock.element]),
      ]),
      // A playground's form comes first: the lesson below refers to it.
      ...(session.playground === true ? [playgroundPanel(session.id, onReset)] : []),
      lesson,
    ]),
    pane,
  ]);
  return {
    element,
    start: () => {
      for (const view of terminals.views) view.open();
      terminals.select(0);
      // What a profile did is the point of a playground: its inspector starts open.
      if (session.playground === true) inspector.show(true);
    },
    dispose: () => {
      clock.dispose();
      tools.dispose();
      inspector.dispose();
      for (const view of terminals.views) view.dispose();
    },
  };
}
