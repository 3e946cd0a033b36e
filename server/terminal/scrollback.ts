// A bounded record of recent terminal output, replayed when a browser reconnects so the
// learner sees the same screen. Oldest output is dropped first; memory never grows past `limit`.

export class Scrollback {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  append(chunk: Buffer): void {
    if (chunk.length >= this.limit) {
      this.chunks = [chunk.subarray(chunk.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const head = this.chunks[0];
      if (head === undefined) break;
      const excess = this.size - this.limit;
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
      }
    }
  }

  snapshot(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  get bytes(): number {
    return this.size;
  }
}
