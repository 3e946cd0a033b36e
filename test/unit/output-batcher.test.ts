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

  it('coalesces pushes within the delay into one flush', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024);
    batcher.push(Buffer.from('a'));
    vi.advanceTimersByTime(2);
    batcher.push(Buffer.from('b'));
    batcher.push(Buffer.from('c'));
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(3);
    expect(flushed).toEqual(['abc']);
  });

  it('measures the delay from the first pending push, not the last', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 10, 1024);
    batcher.push(Buffer.from('a'));
    vi.advanceTimersByTime(9);
    batcher.push(Buffer.from('b'));
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual(['ab']);
  });

  it('starts a new batch after a flush', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024);
    batcher.push(Buffer.from('one'));
    vi.advanceTimersByTime(5);
    batcher.push(Buffer.from('two'));
    vi.advanceTimersByTime(5);
    expect(flushed).toEqual(['one', 'two']);
  });

  it('flushes immediately when pending output reaches maxBytes', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 4);
    batcher.push(Buffer.from('ab'));
    expect(flushed).toEqual([]);
    batcher.push(Buffer.from('cd'));
    expect(flushed).toEqual(['abcd']);
    // The cancelled timer must not fire an empty or duplicate flush.
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual(['abcd']);
  });

  it('flushes a single chunk larger than maxBytes at once', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 4);
    batcher.push(Buffer.from('0123456789'));
    expect(flushed).toEqual(['0123456789']);
  });

  it('uses a small default delay and a 64 KiB default cap', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo);
    batcher.push(Buffer.alloc(64 * 1024 - 1, 'x'));
    expect(flushed).toHaveLength(0);
    batcher.push(Buffer.from('y'));
    expect(flushed).toHaveLength(1);
    expect(flushed[0]?.length).toBe(64 * 1024);
    batcher.push(Buffer.from('z'));
    vi.advanceTimersByTime(5);
    expect(flushed).toEqual([expect.any(String), 'z']);
  });

  it('dispose drops pending output and its timer', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024);
    batcher.push(Buffer.from('lost'));
    batcher.dispose();
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual([]);
    batcher.flush();
    expect(flushed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an explicit flush sends pending output at once and an empty flush sends nothing', () => {
    const { flushTo, flushed } = recorder();
    const batcher = new OutputBatcher(flushTo, 5, 1024);
    batcher.flush();
    expect(flushed).toEqual([]);
    batcher.push(Buffer.from('now'));
    batcher.flush();
    expect(flushed).toEqual(['now']);
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual(['now']);
  });

  it('keeps bytes intact across chunk boundaries', () => {
    const chunks: Buffer[] = [];
    const batcher = new OutputBatcher((chunk) => chunks.push(chunk), 5, 1024);
    const euro = Buffer.from('€');
    batcher.push(euro.subarray(0, 1));
    batcher.push(euro.subarray(1));
    vi.advanceTimersByTime(5);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.equals(euro)).toBe(true);
  });
});
