// Two profiles side by side: the lab's two compared containers (LabDefinition.sideBySide)
// shown next to each other, each terminal above its inspector column, with a switch that
// sends what is typed in one to both, so one command shows what the flags change.
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import type { InspectorPanel } from './inspector-panel.ts';
import type { TerminalTabs } from './terminal-tabs.ts';

export interface SideBySide {
  controls: HTMLElement;
}

function switchButton(text: string, title: string): HTMLButtonElement {
  return el('button', {
    className: 'side-switch',
    text,
    attrs: { type: 'button', 'aria-pressed': 'false', title },
  });
}

export function sideBySide(
  pair: readonly [string, string],
  terminals: TerminalTabs,
  inspector: InspectorPanel,
  body: HTMLElement,
): SideBySide {
  const views = pair.map((name) => terminals.views.find((v) => v.name === name));
  const [left, right] = views;
  const text = ui();
  const toggle = switchButton(text.sideBySide, text.sideBySideTitle);
  const both = switchButton(text.typeIntoBoth, text.typeIntoBothTitle);
  both.hidden = true;
  const mirror = (on: boolean): void => {
    both.setAttribute('aria-pressed', String(on));
    if (left === undefined || right === undefined) return;
    left.mirror = on ? right : undefined;
    right.mirror = on ? left : undefined;
  };
  const set = (on: boolean): void => {
    toggle.setAttribute('aria-pressed', String(on));
    body.classList.toggle('side-by-side', on);
    terminals.tabs.hidden = on;
    both.hidden = !on;
    if (!on) mirror(false);
    left?.element.classList.toggle('left', on);
    right?.element.classList.toggle('right', on);
    if (on) {
      for (const view of terminals.views) view.element.hidden = !views.includes(view);
      inspector.compare(pair);
      inspector.show(true);
      left?.focus();
    } else {
      inspector.compare(undefined);
      terminals.select(left === undefined ? 0 : Math.max(0, terminals.views.indexOf(left)));
    }
    for (const view of views) view?.fitNow();
  };
  toggle.addEventListener('click', () => set(toggle.getAttribute('aria-pressed') !== 'true'));
  both.addEventListener('click', () => mirror(both.getAttribute('aria-pressed') !== 'true'));
  return { controls: el('div', { className: 'side-controls' }, [toggle, both]) };
}
