// The parts of a lesson a translation must keep exactly: its template tags (exercise slots,
// `docker run` lines, host conditions, in order), its fenced code blocks (commands are not
// translated) and how many headings it has at each level. The translation check compares the
// English and Chinese outlines; the prose between them is the translator's.
import { Lexer, marked, type Tokens } from 'marked';

export interface CodeBlock {
  /** The info string (`sh run=host-pid enter`), or '' when there is none. */
  info: string;
  text: string;
}

export interface LessonOutline {
  /** Every `{{...}}` in the order it appears, as written. */
  tags: string[];
  code: CodeBlock[];
  /** Heading level (1..6) -> how many headings of that level. */
  headings: Map<number, number>;
}

const TAG = /\{\{[^{}\n]*\}\}/g;

export function lessonOutline(markdown: string): LessonOutline {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const code: CodeBlock[] = [];
  const headings = new Map<number, number>();
  // walkTokens reaches code blocks and headings nested in lists, quotes and <details>. Its
  // result is the callbacks' return values (none here: the callback is synchronous).
  void marked.walkTokens(tokens, (token) => {
    if (token.type === 'code') {
      const block = token as Tokens.Code;
      code.push({ info: block.lang ?? '', text: block.text });
    } else if (token.type === 'heading') {
      const { depth } = token as Tokens.Heading;
      headings.set(depth, (headings.get(depth) ?? 0) + 1);
    }
  });
  return { tags: markdown.match(TAG) ?? [], code, headings };
}
