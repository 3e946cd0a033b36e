import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from '../../server/terminal/output-batcher.ts';

function recorder(): { flushTo: (chunk: Buffer) => void; flushed: string[] } {
  const flushed: string[] = [];
  return { flushTo: (chunk) => flushed.push(chunk.toString()), flushed };
}

describe('OutputBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first write after a quiet spell at once: an echo waits for no timer', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024, 0);
    batcher.push(Buffer.from('a'));
    expect(flushed).toEqual(['a']);
  });

  it('coalesces what follows within the window into one flush at its end', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024, 0);
    batcher.push(Buffer.from('a'));
    vi.advanceTimersByTime(2);
    batcher.push(Buffer.from('b'));
    batcher.push(Buffer.from('c'));
    expect(flushed).toEqual(['a']);
    vi.advanceTimersByTime(3);
    expect(flushed).toEqual(['a', 'bc']);
  });

  it('measures the window from the write that opened it, not the last', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 10, 1024, 0);
    batcher.push(Buffer.from('a'));
    vi.advanceTimersByTime(9);
    batcher.push(Buffer.from('b'));
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual(['a', 'b']);
  });

  it('keeps batching a flood, one frame per window, and goes quiet after it', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024, 0);
    batcher.push(Buffer.from('one'));
    batcher.push(Buffer.from('two'));
    vi.advanceTimersByTime(5);
    batcher.push(Buffer.from('three'));
    vi.advanceTimersByTime(5);
    expect(flushed).toEqual(['one', 'two', 'three']);
    // A quiet window closes with nothing to send, and the next write goes out at once.
    vi.advanceTimersByTime(5);
    batcher.push(Buffer.from('four'));
    expect(flushed).toEqual(['one', 'two', 'three', 'four']);
  });

  it('flushes immediately when held output reaches maxBytes', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 4, 0);
    batcher.push(Buffer.from('x'));
    batcher.push(Buffer.from('ab'));
    expect(flushed).toEqual(['x']);
    batcher.push(Buffer.from('cd'));
    expect(flushed).toEqual(['x', 'abcd']);
    // The window's end must not fire an empty or duplicate flush.
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual(['x', 'abcd']);
  });

  it('flushes a single chunk larger than maxBytes at once', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 4, 0);
    batcher.push(Buffer.from('0123456789'));
    expect(flushed).toEqual(['0123456789']);
  });

  it('sends echoes typed back to back at once, and holds only past 4 KiB in a window', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo);
    for (const key of 'abc') batcher.push(Buffer.from(key));
    expect(flushed).toEqual(['a', 'b', 'c']);
    batcher.push(Buffer.alloc(4 * 1024 - 3, 'x'));
    expect(flushed).toHaveLength(4);
    batcher.push(Buffer.from('held'));
    batcher.push(Buffer.from('!'));
    expect(flushed).toHaveLength(4);
    vi.advanceTimersByTime(5);
    expect(flushed.slice(4)).toEqual(['held!']);
    // Held output keeps its order: a small write behind it waits too, rather than overtake it.
    batcher.push(Buffer.alloc(4 * 1024, 'y'));
    batcher.push(Buffer.from('z'));
    expect(flushed).toHaveLength(5);
    vi.advanceTimersByTime(5);
    expect(flushed.slice(5)).toEqual([`${'y'.repeat(4 * 1024)}z`]);
  });

  it('uses a small default delay and a 64 KiB default cap', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 64 * 1024, 0);
    batcher.push(Buffer.from('w'));
    batcher.push(Buffer.alloc(64 * 1024 - 1, 'x'));
    expect(flushed).toHaveLength(1);
    batcher.push(Buffer.from('y'));
    expect(flushed).toHaveLength(2);
    expect(flushed[1]?.length).toBe(64 * 1024);
    batcher.push(Buffer.from('z'));
    vi.advanceTimersByTime(5);
    expect(flushed).toEqual(['w', expect.any(String), 'z']);
  });

  it('dispose drops pending output and its timer', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024, 0);
    batcher.push(Buffer.from('sent'));
    batcher.push(Buffer.from('lost'));
    batcher.dispose();
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual(['sent']);
    batcher.flush();
    expect(flushed).toEqual(['sent']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an explicit flush sends pending output at once and an empty flush sends nothing', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024, 0);
    batcher.flush();
    expect(flushed).toEqual([]);
    batcher.push(Buffer.from('first'));
    batcher.push(Buffer.from('now'));
    batcher.flush();
    expect(flushed).toEqual(['first', 'now']);
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual(['first', 'now']);
  });

  it('keeps bytes intact across chunk boundaries', () => {
    const chunks: Buffer[] = [];
    const batcher = new OutputBatcher((chunk) => chunks.push(chunk), 5, 1024, 0);
    const euro = Buffer.from('€');
    batcher.push(Buffer.from('>'));
    batcher.push(euro.subarray(0, 1));
    batcher.push(euro.subarray(1));
    vi.advanceTimersByTime(5);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.equals(euro)).toBe(true);
  });
});
