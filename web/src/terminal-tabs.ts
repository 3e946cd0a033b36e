// One tab and one terminal per container the learner types into; the bar says whether all
// of them are connected.
import type { SessionView } from '../../server/protocol/api-types.ts';
import { el } from './dom.ts';
import { TerminalView, type SessionMessage, type TerminalState } from './terminal-view.ts';

export interface TerminalTabs {
  tabs: HTMLElement;
  stack: HTMLElement;
  views: TerminalView[];
  select(index: number): void;
}

export function terminalTabs(
  session: SessionView,
  setStatus: (text: string, tone: 'ok' | 'warn' | 'bad') => void,
  onSessionMessage: (message: SessionMessage) => void,
  onActivity: () => void,
  /** Told the name of the terminal shown (the inspector follows it). */
  onSelect: (name: string) => void = () => undefined,
): TerminalTabs {
  const states = new Map<string, TerminalState>();
  const report = (name: string, state: TerminalState, detail?: string): void => {
    states.set(name, state);
    const all = [...states.values()];
    if (all.includes('ended')) setStatus(detail ?? 'The session has ended.', 'bad');
    else if (all.includes('reconnecting')) setStatus('Reconnecting…', 'warn');
    else if (all.every((s) => s === 'ready')) setStatus('Connected', 'ok');
    else setStatus('Connecting…', 'warn');
  };
  const views = session.terminals.map(
    (t) =>
      new TerminalView(
        session.id,
        t.name,
        (state, detail) => report(t.name, state, detail),
        onSessionMessage,
        onActivity,
      ),
  );
  const tabs = el('div', { className: 'tabs', attrs: { role: 'tablist' } });
  const stack = el('div', { className: 'terminal-stack' });
  const select = (index: number): void => {
    views.forEach((view, i) => {
      view.element.hidden = i !== index;
      tabs.children[i]?.setAttribute('aria-selected', String(i === index));
    });
    views[index]?.focus();
    const shown = session.terminals[index];
    if (shown !== undefined) onSelect(shown.name);
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
  for (const view of views) stack.append(view.element);
  return { tabs, stack, views, select };
}
