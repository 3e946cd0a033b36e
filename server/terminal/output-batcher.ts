// Coalesces the shell's many small writes into fewer WebSocket frames: a `yes` flood would
// otherwise send one frame per pipe read and drown the browser in per-frame overhead. Small
// output goes out at once: the first write after a quiet spell, and more while less than
// `immediateBytes` went out in the current window, so a keystroke's echo never waits for a
// timer, even when keys come back to back (a paste, a held key: each echo used to wait up to
// the window behind the previous one, 4 ms at p50 in the benchmark). Past that, a flood is
// held and sent as one frame when the window closes.

export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes sent since the current window opened. */
  private sentInWindow = 0;
  /** Set while a window is open: output sent less than `delayMs` ago. */
  private window: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushTo: (chunk: Buffer) => void,
    private readonly delayMs = 5,
    private readonly maxBytes = 64 * 1024,
    private readonly immediateBytes = 4 * 1024,
  ) {}

  push(chunk: Buffer): void {
    const small = this.sentInWindow + chunk.length <= this.immediateBytes;
    if (this.pendingBytes === 0 && (this.window === undefined || small)) {
      this.send(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.maxBytes) this.flush();
  }

  /** Sends what is held now (the shell closed, a big batch is full). */
  flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.send(chunk);
  }

  /** Forgets what waits to be sent: the caller replays it from the scrollback instead. */
  discard(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  dispose(): void {
    if (this.window !== undefined) clearTimeout(this.window);
    this.window = undefined;
    this.discard();
  }

  private send(chunk: Buffer): void {
    this.flushTo(chunk);
    this.sentInWindow += chunk.length;
    if (this.window === undefined) this.openWindow();
  }

  /** At the window's end, what was held goes out and, if anything did, a new window opens. */
  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = undefined;
      this.sentInWindow = 0;
      this.flush();
    }, this.delayMs);
  }
}
