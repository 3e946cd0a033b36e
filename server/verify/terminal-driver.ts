// Types into a real nslab terminal over its WebSocket, as a learner's browser would, and
// reads what the shell prints. Commands are followed by a marker that the shell prints in
// a form different from its own echo, so "the command finished" is never guessed from timing.
import WebSocket from 'ws';
import { parseServerControl, type ServerControl } from '../protocol/terminal-messages.ts';

// CSI, OSC and two-character escape sequences: enough to read bash output as plain text.
const ANSI =
  // eslint-disable-next-line no-control-regex -- escape sequences are what this strips
  /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>]/g;

const MARKER_ECHO = "printf '%s_%s\\n' NSLAB_DONE";

/**
 * What a command printed, from the terminal text of one `run`: the lines between its echo
 * and the marker line. The tty echoes the queued marker command while the first one still
 * runs, so that echo can land anywhere: those lines go. The command's own echo comes first,
 * and twice when it was typed before bash was back in readline (the kernel echoes the
 * type-ahead, then readline echoes the line again after its prompt): every copy goes.
 */
export function commandOutput(text: string, command: string, marker: string): string {
  const lines = text.replace(/\r/g, '').split('\n');
  const markerAt = lines.findIndex((line) => line === marker);
  const isEcho = (line: string): boolean => line.endsWith(command) || line.includes(MARKER_ECHO);
  let first = 1;
  while (first < markerAt && isEcho(lines[first] ?? '')) first++;
  return lines
    .slice(first, markerAt)
    .filter((line) => !line.includes(MARKER_ECHO))
    .join('\n');
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export class TerminalDriver implements AsyncDisposable {
  private raw = '';
  private waiters: (() => void)[] = [];
  private markerCount = 0;
  readonly controls: ServerControl[] = [];
  private closed: { code: number; reason: string } | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.raw += data.toString('utf8');
      } else {
        const parsed = parseServerControl(data.toString('utf8'));
        if (parsed.ok) this.controls.push(parsed.value);
      }
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /**
   * Opens a terminal as a browser would: the token as its cookie, or the given `headers`
   * (ApiClient.terminalAuth: a learner's name next to the token, or a learner's cookie).
   */
  static open(
    url: string,
    options: {
      origin: string;
      token?: string;
      headers?: Record<string, string>;
      timeoutMs?: number;
    },
  ): Promise<TerminalDriver> {
    return new Promise((resolve, reject) => {
      const credentials =
        options.headers ??
        (options.token === undefined
          ? {}
          : { cookie: `nslab_token=${encodeURIComponent(options.token)}` });
      const ws = new WebSocket(url, {
        headers: { ...credentials, origin: options.origin },
        handshakeTimeout: options.timeoutMs ?? 10_000,
      });
      const driver = new TerminalDriver(ws);
      ws.once('open', () => resolve(driver));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`terminal upgrade refused: HTTP ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  /** Everything the terminal printed so far, without colour and cursor sequences. */
  get text(): string {
    return stripAnsi(this.raw);
  }

  get closeInfo(): { code: number; reason: string } | undefined {
    return this.closed;
  }

  send(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  /** Sends a raw text frame: how tests deliver malformed control messages. */
  sendRawControl(text: string): void {
    this.ws.send(text);
  }

  resize(cols: number, rows: number): void {
    this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.closed !== undefined)
        throw new Error(`terminal closed (${this.closed.code}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; screen ends with: ${JSON.stringify(this.text.slice(-300))}`,
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

  /** Waits for the shell's first prompt (a line ending in "# " or "$ "). */
  waitForPrompt(timeoutMs?: number): Promise<void> {
    return this.waitFor(
      () => /[#$] $/.test(this.text.trimEnd() + ' '),
      'a shell prompt',
      timeoutMs,
    );
  }

  /** Types one command line and returns what it printed (the lines between its echo and the marker). */
  async run(command: string, timeoutMs = 20_000): Promise<string> {
    const start = this.raw.length;
    const n = ++this.markerCount;
    const marker = `NSLAB_DONE_${n}`;
    this.send(`${command}\r`);
    // printf prints the marker joined; the echoed command shows it split, so the echo never matches.
    this.send(`${MARKER_ECHO} ${n}\r`);
    // The marker's line must be whole (its newline arrived): output can be cut after the
    // "\r", and a "\n" left over would start the next run's output as an extra line.
    const done = new RegExp(`^${marker}\\r?\\n`, 'm');
    await this.waitFor(
      () => done.test(stripAnsi(this.raw.slice(start))),
      `"${command}" to finish`,
      timeoutMs,
    );
    return commandOutput(stripAnsi(this.raw.slice(start)), command, marker);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
