// The lesson's code blocks: plain ones stay plain, runnable ones carry the author's marking
// (terminal, Enter) through sanitizing, and a marking with a typo fails loudly.
import { describe, expect, it } from 'vitest';
import { parseCodeInfo } from '../../server/lessons/code-block.ts';
import { renderLesson, type LessonInputs } from '../../server/lessons/render-lesson.ts';

const inputs: LessonInputs = {
  dockerRun: new Map([
    ['isolated', 'docker run a'],
    ['host-uts', 'docker run b'],
  ]),
  exerciseIds: new Set(),
  terminals: new Set(['isolated', 'host-uts']),
};

const render = (markdown: string): string => renderLesson(markdown, inputs);

describe('lesson code blocks', () => {
  it('renders a plain block without any Run marking', () => {
    const html = render('```\nhostname\n```');
    expect(html).toBe('<pre><code>hostname</code></pre>\n');
  });

  it('keeps the language class of a plain block', () => {
    expect(render('```json\n{"a": 1}\n```')).toContain('<code class="language-json">');
  });

  it('marks a block runnable in the terminal in front', () => {
    const html = render('```sh run\nreadlink /proc/self/ns/uts\n```');
    expect(html).toContain('<pre class="runnable"><code class="language-sh">');
    expect(html).not.toContain('data-terminal');
    expect(html).not.toContain('data-enter');
  });

  it('names the terminal and the Enter the author asked for', () => {
    const html = render('```sh run=host-uts enter\nuname -n\n```');
    expect(html).toContain('<pre class="runnable" data-terminal="host-uts" data-enter="true">');
    expect(html).toContain('uname -n</code></pre>');
  });

  it('escapes the code itself, so a block cannot carry markup', () => {
    const html = render('```sh run\necho "<b>" & <script>x</script>\n```');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps multi-line blocks whole', () => {
    const html = render('```sh run=isolated\nhostname\nuname -n\n```');
    expect(html).toContain('hostname\nuname -n</code>');
  });

  it('refuses a terminal the lab does not have', () => {
    expect(() => render('```sh run=ghost\nls\n```')).toThrow(/unknown terminal "ghost"/);
  });

  it('refuses unknown words and Enter without Run', () => {
    expect(() => render('```sh rnu\nls\n```')).toThrow(/unknown word "rnu"/);
    expect(() => render('```sh enter\nls\n```')).toThrow(/without "run"/);
    expect(() => render('```sh run=Bad!\nls\n```')).toThrow(/bad terminal/);
  });

  it('does not let raw HTML forge other attributes on a runnable block', () => {
    const html = render(
      '<pre class="runnable" data-terminal="isolated" onclick="x()" data-x="1">ls</pre>',
    );
    expect(html).not.toContain('onclick');
    expect(html).not.toContain('data-x');
  });

  it('parses the info string into its parts', () => {
    expect(parseCodeInfo('sh run=isolated enter')).toEqual({
      language: 'sh',
      run: true,
      terminal: 'isolated',
      enter: true,
    });
    expect(parseCodeInfo(undefined)).toEqual({
      language: undefined,
      run: false,
      terminal: undefined,
      enter: false,
    });
  });
});
