// The bar under the terminal tabs: search the terminal in front, the font size, the
// screen-reader mode and the renderer. Settings go through terminalSettings, so every
// terminal follows and the browser remembers them.
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { FONT_SIZE_RANGE, terminalSettings } from './terminal-settings.ts';
import type { TerminalView } from './terminal-view.ts';

function searchBox(front: () => TerminalView | undefined): HTMLElement {
  const input = el('input', {
    className: 'terminal-search',
    attrs: {
      type: 'search',
      placeholder: ui().search,
      'aria-label': ui().searchLabel,
      title: ui().searchTitle,
    },
  });
  const said = el('span', { className: 'search-status', attrs: { role: 'status' } });
  const find = (backwards: boolean): void => {
    if (input.value === '') return;
    const found =
      front()?.find(input.value, backwards, (index, count) => {
        said.textContent = index < 0 ? ui().matches(count) : ui().matchOf(index + 1, count);
      }) ?? false;
    if (!found) said.textContent = ui().notFound;
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey);
    } else if (event.key === 'Escape') {
      input.value = '';
      said.textContent = '';
      front()?.clearSearch();
      front()?.focus();
    }
  });
  input.addEventListener('input', () => find(false));
  return el('span', { className: 'search-box' }, [input, said]);
}

function fontSize(disposers: (() => void)[]): HTMLElement {
  const value = el('span', { className: 'font-size-value', attrs: { 'aria-live': 'polite' } });
  const step = (delta: number, label: string, text: string): HTMLButtonElement => {
    // The accessible name starts with the visible text, so voice control finds "A+".
    const button = el('button', {
      className: `font-step ${delta < 0 ? 'font-smaller' : 'font-larger'}`,
      text,
      attrs: { type: 'button', 'aria-label': `${text} ${label}`, title: label },
    });
    button.addEventListener('click', () => {
      const size = terminalSettings.get().fontSize + delta;
      if (size >= FONT_SIZE_RANGE.min && size <= FONT_SIZE_RANGE.max)
        terminalSettings.update({ fontSize: size });
    });
    return button;
  };
  const show = (): void => {
    value.textContent = `${terminalSettings.get().fontSize}px`;
  };
  show();
  disposers.push(terminalSettings.subscribe(show));
  return el(
    'span',
    { className: 'font-size', attrs: { role: 'group', 'aria-label': ui().fontSize } },
    [step(-1, ui().smallerText, 'A−'), value, step(1, ui().largerText, 'A+')],
  );
}

function toggle(text: string, title: string, key: 'screenReader' | 'webgl'): HTMLLabelElement {
  const box = el('input', { className: `toggle-${key}`, attrs: { type: 'checkbox' } });
  box.checked = terminalSettings.get()[key];
  box.addEventListener('change', () => terminalSettings.update({ [key]: box.checked }));
  return el('label', { className: 'tool-toggle', attrs: { title } }, [box, text]);
}

export function terminalTools(
  front: () => TerminalView | undefined,
  pane: HTMLElement,
): { element: HTMLElement; dispose(): void } {
  const disposers: (() => void)[] = [];
  const search = searchBox(front);
  // Ctrl+Shift+F anywhere in the terminal pane; the terminal lets it through (terminal-view.ts).
  pane.addEventListener('keydown', (event) => {
    if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      search.querySelector('input')?.focus();
    }
  });
  const element = el('div', { className: 'terminal-tools' }, [
    search,
    fontSize(disposers),
    toggle(ui().screenReader, ui().screenReaderTitle, 'screenReader'),
    toggle(ui().webgl, ui().webglTitle, 'webgl'),
  ]);
  return { element, dispose: () => disposers.splice(0).forEach((dispose) => dispose()) };
}
