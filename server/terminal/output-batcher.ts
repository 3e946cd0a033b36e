// Coalesces the shell's many small writes into fewer WebSocket frames: a `yes` flood would
// otherwise send one frame per pipe read and drown the browser in per-frame overhead.

export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushTo: (chunk: Buffer) => void,
    private readonly delayMs = 5,
    private readonly maxBytes = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.maxBytes) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    }
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.flushTo(chunk);
  }

  /** Forgets what waits to be sent: the caller replays it from the scrollback instead. */
  discard(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
