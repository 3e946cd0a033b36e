// What the bench reads from a shell, whichever way it is connected (the gateway's WebSocket,
// a raw exec stream, the docker CLI): bytes counted, the last few KiB kept as text, and
// waits that wake on every chunk. Nothing accumulates, so a 50 MB `cat` costs no memory here.
import { stripAnsi } from '../../server/verify/terminal-driver.ts';

const TAIL_CHARS = 8192;
const PROMPT = /[#$] $/;

export abstract class ShellStream {
  /** Bytes received so far. */
  bytes = 0;
  private tailText = '';
  private waiters: (() => void)[] = [];
  private closedWhy: string | undefined;

  abstract send(text: string): void;
  abstract close(): Promise<void>;

  /** The last few KiB received, one char per byte (latin1), escape sequences included. */
  get tail(): string {
    return this.tailText;
  }

  /** What arrived after `mark` (an earlier `bytes`), if it is still in the tail. */
  since(mark: number): string {
    const count = this.bytes - mark;
    return count <= 0 ? '' : this.tailText.slice(-Math.min(count, TAIL_CHARS));
  }

  get closed(): string | undefined {
    return this.closedWhy;
  }

  protected feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    const text = chunk.length > TAIL_CHARS ? chunk.subarray(-TAIL_CHARS) : chunk;
    this.tailText = (this.tailText + text.toString('latin1')).slice(-TAIL_CHARS);
    this.wake();
  }

  protected ended(why: string): void {
    this.closedWhy ??= why;
    this.wake();
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      if (this.closedWhy !== undefined)
        throw new Error(`shell closed (${this.closedWhy}) while waiting for ${what}`);
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; the shell ends with ${JSON.stringify(stripAnsi(this.tailText.slice(-200)))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** A line ending in "# " or "$ ": bash's prompt. */
  waitForPrompt(timeoutMs = 30_000): Promise<void> {
    return this.waitFor(
      () => PROMPT.test(stripAnsi(this.tailText.slice(-512))),
      'a shell prompt',
      timeoutMs,
    );
  }

  /** Runs a command line and waits for a marker it prints after it (never its own echo). */
  async run(command: string, timeoutMs = 30_000): Promise<void> {
    const marker = `BENCH_DONE_${Math.random().toString(36).slice(2, 10)}`;
    const mark = this.bytes;
    const [head, tail] = [marker.slice(0, 10), marker.slice(10)];
    this.send(`${command}; printf '%s%s\\n' ${head} ${tail}\r`);
    await this.waitFor(() => this.since(mark).includes(marker), `"${command}"`, timeoutMs);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
