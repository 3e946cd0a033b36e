// Coalesces the shell's many small writes into fewer WebSocket frames: a `yes` flood would
// otherwise send one frame per pipe read and drown the browser in per-frame overhead. The
// first write after a quiet spell goes out at once (a keystroke's echo must not wait for a
// timer); what follows within the window is held and sent as one frame when it closes.

export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while a window is open: output sent less than `delayMs` ago. */
  private window: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushTo: (chunk: Buffer) => void,
    private readonly delayMs = 5,
    private readonly maxBytes = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    if (this.window === undefined) {
      this.flushTo(chunk);
      this.openWindow();
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
    this.flushTo(chunk);
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

  /** At the window's end, what was held goes out and, if anything did, a new window opens. */
  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = undefined;
      if (this.pendingBytes === 0) return;
      this.flush();
      this.openWindow();
    }, this.delayMs);
  }
}
