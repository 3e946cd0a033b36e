// Copy on every code block of the lesson, and Run on the blocks the author marked runnable
// (server/lessons/code-block.ts puts the marking on the <pre>). Run types the block into a
// terminal and leaves Enter to the learner unless the author asked for it.
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

/** Types text into the named terminal (undefined: the one in front); Enter only when asked. */
export type TypeIntoTerminal = (text: string, terminal: string | undefined, enter: boolean) => void;

/**
 * navigator.clipboard needs a secure context, which a workshop served over plain http is
 * not: there the block is selected, and the learner's own Ctrl+C copies it.
 */
async function copyText(text: string, pre: HTMLElement): Promise<'copied' | 'selected'> {
  if (window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return 'copied';
  }
  const range = document.createRange();
  range.selectNodeContents(pre);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return 'selected';
}

function copyButton(pre: HTMLElement, text: string): HTMLButtonElement {
  const button = el('button', {
    className: 'copy',
    text: ui().copy,
    attrs: { type: 'button', 'aria-label': ui().copyLabel },
  });
  button.addEventListener('click', () => {
    copyText(text, pre).then(
      (how) => (button.textContent = how === 'copied' ? ui().copied : ui().selectedPressCtrlC),
      () => (button.textContent = ui().copyByHand),
    );
    setTimeout(() => (button.textContent = ui().copy), 2000);
  });
  return button;
}

/** Run, and a line saying where the text went and whether Enter is still the learner's. */
function runButton(pre: HTMLElement, text: string, type: TypeIntoTerminal): HTMLElement[] {
  const terminal = pre.dataset.terminal;
  const enter = pre.dataset.enter === 'true';
  const words = ui();
  const where = terminal === undefined ? words.terminalInFront : words.namedTerminal(terminal);
  const said = el('span', { className: 'run-status', attrs: { role: 'status' } });
  const button = el('button', {
    className: 'run',
    text: words.run,
    attrs: { type: 'button', title: enter ? words.runEnterTitle(where) : words.runTitle(where) },
  });
  button.addEventListener('click', () => {
    type(text, terminal, enter);
    said.textContent = enter ? words.ranIn(where) : words.typedInto(where);
  });
  return [said, button];
}

export function addCodeActions(lesson: HTMLElement, type: TypeIntoTerminal): void {
  for (const pre of lesson.querySelectorAll('pre')) {
    const text = (pre.querySelector('code') ?? pre).textContent;
    const actions = el('div', { className: 'code-actions' }, [copyButton(pre, text)]);
    if (pre.classList.contains('runnable')) actions.prepend(...runButton(pre, text, type));
    const block = el('div', { className: 'code-block' });
    pre.replaceWith(block);
    block.append(pre, actions);
  }
}
