// A lesson's fenced code block, with the author's Run marking read from its info string:
//
//   ```sh run                 the page offers Run: it types the block into the terminal in front
//   ```sh run=host-uts        ... into the named terminal (the tab is brought to the front)
//   ```sh run=isolated enter  ... and presses Enter; without `enter` the learner presses it
//
// The marking becomes data attributes on the <pre>; the page adds the buttons. A word the
// convention does not know, or a terminal the lab does not have, stops the lesson from
// rendering, so a typo is found by the lesson test, not by a learner.
import { NAME_PATTERN } from '../protocol/api-types.ts';

export interface CodeBlockInfo {
  language: string | undefined;
  run: boolean;
  /** The terminal Run types into; undefined: the one in front. */
  terminal: string | undefined;
  enter: boolean;
}

export function parseCodeInfo(info: string | undefined): CodeBlockInfo {
  const [language, ...words] = (info ?? '').trim().split(/\s+/).filter(Boolean);
  const parsed: CodeBlockInfo = { language, run: false, terminal: undefined, enter: false };
  for (const word of words) {
    const [key, value] = word.split('=', 2) as [string, string | undefined];
    if (key === 'run') {
      parsed.run = true;
      if (value !== undefined) {
        if (!NAME_PATTERN.test(value))
          throw new Error(`code block names a bad terminal "${value}"`);
        parsed.terminal = value;
      }
    } else if (key === 'enter' && value === undefined) {
      parsed.enter = true;
    } else {
      throw new Error(
        `code block has an unknown word "${word}" (known: run, run=<terminal>, enter)`,
      );
    }
  }
  if (parsed.enter && !parsed.run) throw new Error('code block says "enter" without "run"');
  return parsed;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The <pre> for one fenced block; `terminals` are the lab's, to catch a misnamed one. */
export function renderCodeBlock(
  text: string,
  info: string | undefined,
  terminals: ReadonlySet<string> | undefined,
): string {
  const block = parseCodeInfo(info);
  if (block.terminal !== undefined && terminals !== undefined && !terminals.has(block.terminal))
    throw new Error(`code block runs in unknown terminal "${block.terminal}"`);
  const codeClass =
    block.language === undefined ? '' : ` class="language-${escapeHtml(block.language)}"`;
  const attrs = block.run
    ? ` class="runnable"${block.terminal === undefined ? '' : ` data-terminal="${block.terminal}"`}${block.enter ? ' data-enter="true"' : ''}`
    : '';
  return `<pre${attrs}><code${codeClass}>${escapeHtml(text.replace(/\n$/, ''))}</code></pre>\n`;
}
