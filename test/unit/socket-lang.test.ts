// A terminal socket's language: read from `?lang=` on its address as the API reads it, and
// each control message's words rendered in it, so a learner reading Chinese and an
// instructor watching in English each get the same notice in their own language.
import { describe, expect, it } from 'vitest';
import { SESSION_ENDED, END_REASONS } from '../../server/sessions/end-reasons.ts';
import { inSocketLang, upgradeLang } from '../../server/terminal/socket-lang.ts';

const at = (query: string): URL => new URL(`ws://127.0.0.1/api/sessions/x/terminals/y${query}`);

describe('a terminal socket language', () => {
  it('is English without the parameter, and the language it names', () => {
    expect(upgradeLang(at(''))).toBe('en');
    expect(upgradeLang(at('?lang=en'))).toBe('en');
    expect(upgradeLang(at('?lang=zh'))).toBe('zh');
  });

  it.each(['?lang=fr', '?lang=ZH', '?lang=', '?lang=zh&lang=en'])('is refused for %s', (q) => {
    expect(upgradeLang(at(q))).toBeUndefined();
  });
});

describe('a control message with words', () => {
  const ended = { type: 'exit', code: null, reason: SESSION_ENDED({ reason: END_REASONS.idle() }) };

  it('says a message inside a message in the same language', () => {
    expect(inSocketLang({ ...ended, type: 'exit' }, 'en')).toEqual({
      type: 'exit',
      code: null,
      reason: 'The session ended: nobody typed for a while (idle timeout).',
    });
    expect(inSocketLang({ ...ended, type: 'exit' }, 'zh')).toEqual({
      type: 'exit',
      code: null,
      reason: '会话已结束：有一段时间没人输入了（空闲超时）。',
    });
  });

  it('passes messages without words through as they are', () => {
    expect(inSocketLang({ type: 'watched', watching: true }, 'zh')).toEqual({
      type: 'watched',
      watching: true,
    });
  });
});
