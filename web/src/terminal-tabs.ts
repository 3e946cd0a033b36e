// One tab and one terminal per container the learner types into; the bar says whether all
// of them are connected.
import type { SessionView } from '../../server/protocol/api-types.ts';
import type { TypeIntoTerminal } from './code-actions.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { TerminalView, type SessionMessage, type TerminalState } from './terminal-view.ts';

export interface TerminalTabs {
  tabs: HTMLElement;
  stack: HTMLElement;
  views: TerminalView[];
  select(index: number): void;
  /** Brings the named terminal (undefined: the one in front) forward and types into it. */
  typeInto: TypeIntoTerminal;
  /** The terminal in front: what search looks through. */
  front(): TerminalView | undefined;
}

/** The tab pattern's keys: Left and Right move between terminals, the focus stays on the tabs. */
function arrowKeys(
  tabs: HTMLElement,
  front: () => number,
  count: number,
  select: (index: number) => void,
): void {
  tabs.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const index = (front() + (event.key === 'ArrowRight' ? 1 : -1) + count) % count;
    select(index);
    (tabs.children[index] as HTMLElement | undefined)?.focus();
    event.preventDefault();
  });
}

function tabButton(t: SessionView['terminals'][number], onClick: () => void): HTMLElement {
  const tab = el('button', {
    className: 'tab',
    text: t.title,
    attrs: {
      role: 'tab',
      type: 'button',
      'data-terminal': t.name,
      title: t.dockerRun,
      'aria-controls': `terminal-${t.name}`,
    },
  });
  tab.addEventListener('click', onClick);
  return tab;
}

/** Each terminal is the panel its tab controls, named for screen readers. */
function labelPanels(session: SessionView, views: TerminalView[]): void {
  views.forEach((view, index) => {
    view.element.id = `terminal-${view.name}`;
    view.element.setAttribute('role', 'tabpanel');
    view.element.setAttribute('aria-label', session.terminals[index]?.title ?? view.name);
  });
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
    const text = ui();
    if (all.includes('ended')) setStatus(detail ?? text.sessionEnded, 'bad');
    else if (all.includes('reconnecting')) setStatus(text.reconnecting, 'warn');
    else if (all.every((s) => s === 'ready')) setStatus(text.connected, 'ok');
    else setStatus(text.connecting, 'warn');
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
  let front = 0;
  const select = (index: number): void => {
    front = index;
    views.forEach((view, i) => {
      view.element.hidden = i !== index;
      tabs.children[i]?.setAttribute('aria-selected', String(i === index));
    });
    views[index]?.focus();
    const shown = session.terminals[index];
    if (shown !== undefined) onSelect(shown.name);
  };
  session.terminals.forEach((t, index) => tabs.append(tabButton(t, () => select(index))));
  arrowKeys(tabs, () => front, views.length, select);
  labelPanels(session, views);
  for (const view of views) stack.append(view.element);
  const typeInto = (text: string, terminal: string | undefined, enter: boolean): void => {
    const index = terminal === undefined ? front : views.findIndex((v) => v.name === terminal);
    if (index < 0) return;
    select(index);
    views[index]?.type(text, enter);
  };
  return { tabs, stack, views, select, typeInto, front: () => views[front] };
}
