import { describe, expect, it } from 'vitest';
import { Scrollback } from '../../server/terminal/scrollback.ts';
import { mulberry32 } from './support/random.ts';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('Scrollback', () => {
  it('starts empty', () => {
    const s = new Scrollback(10);
    expect(s.bytes).toBe(0);
    expect(s.snapshot().length).toBe(0);
  });

  it('keeps everything while under the limit, in order', () => {
    const s = new Scrollback(10);
    s.append(b('abc'));
    s.append(b('def'));
    expect(s.snapshot().toString('latin1')).toBe('abcdef');
    expect(s.bytes).toBe(6);
  });

  it('keeps exactly the limit when filled to it', () => {
    const s = new Scrollback(6);
    s.append(b('abc'));
    s.append(b('def'));
    expect(s.snapshot().toString('latin1')).toBe('abcdef');
  });

  it('drops the oldest bytes first, splitting a chunk when needed', () => {
    const s = new Scrollback(5);
    s.append(b('abc'));
    s.append(b('def'));
    expect(s.snapshot().toString('latin1')).toBe('bcdef');
    s.append(b('gh'));
    expect(s.snapshot().toString('latin1')).toBe('defgh');
    expect(s.bytes).toBe(5);
  });

  it('drops whole chunks when the newest chunk pushes them out', () => {
    const s = new Scrollback(5);
    s.append(b('a'));
    s.append(b('b'));
    s.append(b('c'));
    s.append(b('defg'));
    expect(s.snapshot().toString('latin1')).toBe('cdefg');
  });

  it('keeps only the tail of a chunk bigger than the limit', () => {
    const s = new Scrollback(4);
    s.append(b('xy'));
    s.append(b('0123456789'));
    expect(s.snapshot().toString('latin1')).toBe('6789');
    expect(s.bytes).toBe(4);
  });

  it('keeps a chunk exactly the size of the limit, replacing older output', () => {
    const s = new Scrollback(4);
    s.append(b('zz'));
    s.append(b('abcd'));
    expect(s.snapshot().toString('latin1')).toBe('abcd');
  });

  it('ignores empty chunks', () => {
    const s = new Scrollback(4);
    s.append(b('ab'));
    s.append(Buffer.alloc(0));
    expect(s.snapshot().toString('latin1')).toBe('ab');
  });

  it('never holds more than the limit and always equals the tail of everything written', () => {
    const random = mulberry32(42);
    for (const limit of [1, 7, 64, 1000]) {
      const s = new Scrollback(limit);
      let all = '';
      for (let i = 0; i < 500; i++) {
        const length = Math.floor(random() * limit * 1.5);
        const text = Array.from({ length }, () =>
          String.fromCharCode(97 + Math.floor(random() * 26)),
        ).join('');
        s.append(b(text));
        all += text;
        expect(s.bytes).toBeLessThanOrEqual(limit);
        expect(s.snapshot().length).toBe(s.bytes);
      }
      expect(s.snapshot().toString('latin1')).toBe(all.slice(-limit));
    }
  });
});
