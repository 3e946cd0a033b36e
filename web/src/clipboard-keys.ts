// The terminal's clipboard keys. Ctrl+Shift+C copies the selection and Ctrl+Shift+V pastes,
// so plain Ctrl+C stays SIGINT for the shell.
import type { Terminal } from '@xterm/xterm';

/** xterm.js's custom key handler: false when the page handled the key, true to pass it on. */
export function clipboardKeys(term: Terminal, event: KeyboardEvent): boolean {
  if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
  const key = event.key.toLowerCase();
  // Ctrl+Shift+F is the page's search (terminal-tools.ts), not a Ctrl-F for the shell.
  if (key === 'f') return false;
  if (key === 'c') {
    const selection = term.getSelection();
    if (selection !== '') void navigator.clipboard.writeText(selection);
    event.preventDefault();
    return false;
  }
  if (key === 'v') {
    void navigator.clipboard.readText().then((text) => term.paste(text));
    event.preventDefault();
    return false;
  }
  return true;
}
