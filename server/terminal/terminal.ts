// One learner terminal: a bash shell in one container, and at most one browser attached to
// it. The shell outlives the WebSocket, so a refresh or a network blip reattaches to the
// same shell and replays recent output from the scrollback.
import WebSocket from 'ws';
import type { ContainerClient, ExecShell } from '../docker/container-client.ts';
import { log } from '../log.ts';
import { message, type ServerMessage } from '../errors/server-message.ts';
import { CLOSE_CODES, type ClientControl } from '../protocol/terminal-messages.ts';
import { OutputBatcher } from './output-batcher.ts';
import { Scrollback } from './scrollback.ts';
import { NO_TRAFFIC, type TerminalTraffic } from './terminal-traffic.ts';
import { inSocketLang, socketLang, type OutgoingControl } from './socket-lang.ts';

const SESSION_OVER = message('session_over', 'The session has ended.', '会话已经结束。');
const SHELL_EXITED = message(
  'shell_exited',
  'The shell exited. Press any key for a new one.',
  'shell 已退出。按任意键打开一个新的。',
);
const SHELL_FAILED = message(
  'shell_failed',
  'The shell could not be started: is the container still running? "Reset lab" starts it afresh.',
  'shell 没能启动：容器还在运行吗？“重置实验”会重新启动它。',
);

const SCROLLBACK_BYTES = 256 * 1024;
/** Pause the Docker stream when this much output waits in the socket; resume below the low mark. */
const HIGH_WATERMARK = 1024 * 1024;
const LOW_WATERMARK = 256 * 1024;

/** Sends one control message, its words in the language this socket asked for. */
export function sendControl(socket: WebSocket, control: OutgoingControl): void {
  if (socket.readyState === WebSocket.OPEN)
    socket.send(JSON.stringify(inSocketLang(control, socketLang(socket))));
}

export class Terminal {
  private shell: ExecShell | undefined;
  private starting: Promise<ExecShell> | undefined;
  private socket: WebSocket | undefined;
  /** Read-only viewers (the instructor): they get the output, never a say in the input. */
  private readonly watchers = new Set<WebSocket>();
  /** The size the browser asked for last; each resize message is a new object. */
  private size = { cols: 80, rows: 24 };
  /** True while a loop is giving the TTY `size`: the loop picks up whatever arrives meanwhile. */
  private resizing = false;
  private readonly scrollback = new Scrollback(SCROLLBACK_BYTES);
  private readonly batcher = new OutputBatcher((chunk) => this.deliver(chunk));
  private drainTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Counts the bytes sent to the attached browser (the metrics). */
  private traffic: TerminalTraffic = NO_TRAFFIC;

  constructor(
    readonly name: string,
    private readonly containerId: string,
    /** Only the shell: a terminal has no other business with the engine. */
    private readonly client: Pick<ContainerClient, 'startShell'>,
    /** Called on every keystroke: the session's idle clock listens. */
    private readonly onInput: () => void = () => undefined,
  ) {}

  /** Sends a control message to the attached browser, if any. */
  notify(control: OutgoingControl): void {
    if (this.socket !== undefined) sendControl(this.socket, control);
  }

  get attached(): boolean {
    return this.socket !== undefined;
  }

  /** Bytes typed into the shell that the engine has not taken yet. */
  get pendingInput(): number {
    return this.shell?.stream.writableLength ?? 0;
  }

  /** Attaches a browser, replacing any earlier one (the newest tab wins). */
  async attach(socket: WebSocket, traffic: TerminalTraffic = NO_TRAFFIC): Promise<void> {
    const previous = this.socket;
    this.socket = socket;
    this.traffic = traffic;
    if (previous !== undefined && previous !== socket)
      previous.close(CLOSE_CODES.openedElsewhere, 'terminal opened elsewhere');
    // Output not yet flushed is in the scrollback too: sent once, in the replay.
    this.batcher.discard();
    const replay = this.scrollback.snapshot();
    if (replay.length > 0) socket.send(replay, { binary: true });
    traffic.output(replay.length);
    await this.ensureShell();
    sendControl(socket, { type: 'ready', terminal: this.name, replayed: replay.length > 0 });
    if (this.watchers.size > 0) sendControl(socket, { type: 'watched', watching: true });
  }

  /** Adds a read-only viewer: it gets the scrollback, then live output; the learner is told. */
  watch(socket: WebSocket): void {
    this.watchers.add(socket);
    const replay = this.scrollback.snapshot();
    if (replay.length > 0) socket.send(replay, { binary: true });
    sendControl(socket, { type: 'ready', terminal: this.name, replayed: replay.length > 0 });
    this.notify({ type: 'watched', watching: true });
  }

  unwatch(socket: WebSocket): void {
    if (!this.watchers.delete(socket)) return;
    if (this.watchers.size === 0) this.notify({ type: 'watched', watching: false });
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /**
   * Starts the shell before any browser attaches, so its prompt waits in the scrollback: a
   * cold start overlaps the exec with the HTTP answer and the WebSocket handshake, and a
   * pooled session has it done long before the click. Failures are reported at attach.
   */
  prestart(): void {
    this.ensureShell().catch((error: unknown) =>
      log.debug('shell prestart failed', { terminal: this.name, error: String(error) }),
    );
  }

  /** Resolves once the shell has printed something (its prompt), or after `timeoutMs`. */
  async prompted(timeoutMs: number): Promise<boolean> {
    await this.ensureShell();
    const deadline = Date.now() + timeoutMs;
    while (this.scrollback.bytes === 0) {
      if (Date.now() > deadline || this.disposed) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  detach(socket: WebSocket): void {
    if (this.socket === socket) this.socket = undefined;
  }

  input(data: Buffer): void {
    this.onInput();
    if (this.shell === undefined) {
      // The shell exited earlier: a keystroke brings a fresh one, as a terminal emulator would.
      void this.ensureShell().then(
        (shell) => shell.stream.write(data),
        (error: unknown) => this.report(error),
      );
      return;
    }
    this.shell.stream.write(data);
  }

  control(message: ClientControl): void {
    switch (message.type) {
      case 'resize':
        this.size = { cols: message.cols, rows: message.rows };
        this.applySize();
        return;
      case 'ping':
        if (this.socket !== undefined) sendControl(this.socket, { type: 'pong' });
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`unhandled control ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Ends the terminal for good; an attached browser is told why. */
  dispose(reason: ServerMessage = SESSION_OVER()): void {
    this.disposed = true;
    if (this.socket !== undefined) {
      sendControl(this.socket, { type: 'exit', code: null, reason });
      this.socket.close(CLOSE_CODES.sessionEnded, 'session ended');
      this.socket = undefined;
    }
    for (const watcher of this.watchers) {
      sendControl(watcher, { type: 'exit', code: null, reason });
      watcher.close(CLOSE_CODES.sessionEnded, 'session ended');
    }
    this.watchers.clear();
    this.batcher.dispose();
    if (this.drainTimer !== undefined) clearInterval(this.drainTimer);
    this.shell?.stream.destroy();
    this.shell = undefined;
  }

  private ensureShell(): Promise<ExecShell> {
    if (this.shell !== undefined) return Promise.resolve(this.shell);
    if (this.starting !== undefined) return this.starting;
    const sizeAtStart = this.size;
    this.starting = this.client
      .startShell(this.containerId, sizeAtStart)
      .then((shell) => {
        this.shell = shell;
        this.wire(shell);
        // A resize that came while the shell started has not reached its TTY yet.
        if (this.size !== sizeAtStart) this.applySize();
        return shell;
      })
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  /**
   * Gives the shell's TTY the newest size. A window being dragged (or a hostile client) sends
   * resizes by the hundred; each is an engine API call, so at most one is in flight and the
   * next one carries only the size that is newest when the engine answers.
   */
  private applySize(): void {
    const shell = this.shell;
    if (shell === undefined || this.resizing) return;
    this.resizing = true;
    void (async () => {
      let applied: { cols: number; rows: number } | undefined;
      while (this.shell === shell && applied !== this.size) {
        applied = this.size;
        await shell.resize(applied.cols, applied.rows);
      }
    })().finally(() => {
      this.resizing = false;
    });
  }

  private wire(shell: ExecShell): void {
    shell.stream.on('data', (chunk: Buffer) => {
      this.scrollback.append(chunk);
      this.batcher.push(chunk);
    });
    shell.stream.on('error', (error: Error) =>
      log.debug('shell stream error', { terminal: this.name, error: error.message }),
    );
    shell.stream.once('close', () => {
      if (this.shell !== shell) return;
      this.shell = undefined;
      this.batcher.flush();
      if (this.disposed) return;
      void shell.exitCode().then((code) => {
        if (this.socket !== undefined) {
          sendControl(this.socket, {
            type: 'exit',
            code,
            reason: SHELL_EXITED(),
          });
        }
      });
    });
  }

  private deliver(chunk: Buffer): void {
    // A watcher that cannot keep up misses output rather than slowing the learner's shell.
    for (const watcher of this.watchers)
      if (watcher.readyState === WebSocket.OPEN && watcher.bufferedAmount < HIGH_WATERMARK)
        watcher.send(chunk, { binary: true });
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    socket.send(chunk, { binary: true });
    this.traffic.output(chunk.length);
    if (socket.bufferedAmount > HIGH_WATERMARK) this.pauseUntilDrained(socket);
  }

  /** Backpressure: a slow browser stops the shell's output instead of growing server memory. */
  private pauseUntilDrained(socket: WebSocket): void {
    const stream = this.shell?.stream;
    if (stream === undefined || this.drainTimer !== undefined) return;
    stream.pause();
    this.drainTimer = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN || socket.bufferedAmount < LOW_WATERMARK) {
        clearInterval(this.drainTimer);
        this.drainTimer = undefined;
        stream.resume();
      }
    }, 20);
  }

  private report(error: unknown): void {
    log.warn('shell failed to start', { terminal: this.name, error: String(error) });
    if (this.socket !== undefined)
      sendControl(this.socket, {
        type: 'error',
        message: SHELL_FAILED(),
      });
  }
}
