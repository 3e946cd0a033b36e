// One xterm.js terminal bound to one nslab terminal WebSocket. Keystrokes go out as binary
// frames, output comes in as binary frames, and control messages (resize, exit, ...) are
// the typed JSON of server/protocol. The socket reconnects after a blip; the server
// replays the recent screen, so the terminal is cleared first to avoid doubling it.
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { clipboardKeys } from './clipboard-keys.ts';
import {
  CLOSE_CODES,
  parseServerControl,
  type ClientControl,
  type ServerControl,
} from '../../server/protocol/terminal-messages.ts';
import { api } from './api.ts';
import { ui } from './i18n/i18n.ts';
import { TerminalAddons, type Renderer } from './terminal-addons.ts';
import { terminalSettings, type TerminalSettings } from './terminal-settings.ts';

export type TerminalState = 'connecting' | 'ready' | 'reconnecting' | 'ended';
export type SessionMessage = Extract<
  ServerControl,
  { type: 'status' | 'notice' | 'watched' | 'replaced' }
>;

/** Closes after which reconnecting would not help: the page shows the terminal as ended. */
const FINAL_CLOSE_CODES: readonly number[] = [
  CLOSE_CODES.sessionEnded,
  CLOSE_CODES.openedElsewhere,
  CLOSE_CODES.tooManyMessages,
];

const THEME = {
  background: '#0f1419',
  foreground: '#e6e1cf',
  cursor: '#f29718',
  selectionBackground: '#253340',
};

export class TerminalView {
  readonly element: HTMLDivElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private socket: WebSocket | undefined;
  private readonly disposers: (() => void)[] = [];
  private readonly addons: TerminalAddons;
  private retries = 0;
  private disposed = false;
  private searchResults: (index: number, count: number) => void = () => undefined;
  /** Which renderer draws this terminal now; the settings bar shows it. */
  renderer: Renderer = 'dom';

  constructor(
    private readonly sessionId: string,
    readonly name: string,
    private readonly onState: (state: TerminalState, detail?: string) => void,
    /** Session-wide messages (the clock, notices) go to the lab view. */
    private readonly onSessionMessage: (message: SessionMessage) => void = () => undefined,
    private readonly onActivity: () => void = () => undefined,
    /** The control room's read-only view of a learner's terminal: nothing typed is sent. */
    private readonly watchOnly = false,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'terminal-host';
    this.element.dataset.terminal = name;
    const settings = terminalSettings.get();
    this.term = new Terminal({
      cursorBlink: !watchOnly,
      disableStdin: watchOnly,
      // Monospace first; CJK output (a Chinese file name, a message) falls back to a CJK
      // monospace face, which Unicode 11 widths give two cells.
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC", monospace',
      fontSize: settings.fontSize,
      screenReaderMode: settings.screenReader,
      scrollback: 5000,
      theme: THEME,
      // The Unicode 11 widths and the search highlights use xterm's proposed API.
      allowProposedApi: true,
    });
    this.term.loadAddon(this.fit);
    this.addons = new TerminalAddons(this.term, (renderer) => {
      this.renderer = renderer;
      this.element.dataset.renderer = renderer;
    });
    const results = this.addons.search.onDidChangeResults(({ resultIndex, resultCount }) =>
      this.searchResults(resultIndex, resultCount),
    );
    this.disposers.push(() => results.dispose());
    this.term.loadAddon(
      new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')),
    );
    this.term.attachCustomKeyEventHandler((event) => clipboardKeys(this.term, event));
    const onData = this.term.onData((data) => this.typed(new TextEncoder().encode(data)));
    const onBinary = this.term.onBinary((data) =>
      this.typed(Uint8Array.from(data, (c) => c.charCodeAt(0))),
    );
    const onResize = this.term.onResize(({ cols, rows }) =>
      this.sendControl({ type: 'resize', cols, rows }),
    );
    this.disposers.push(
      () => onData.dispose(),
      () => onResize.dispose(),
      () => onBinary.dispose(),
    );
  }

  /** Call once the element is in the document: xterm needs a laid-out element to measure. */
  open(): void {
    this.term.open(this.element);
    this.addons.useWebgl(terminalSettings.get().webgl);
    this.disposers.push(terminalSettings.subscribe((settings) => this.apply(settings)));
    this.fitNow();
    const observer = new ResizeObserver(() => this.fitNow());
    observer.observe(this.element);
    this.disposers.push(() => observer.disconnect());
    this.connect();
  }

  focus(): void {
    this.term.focus();
    this.fitNow();
  }

  /**
   * Types text as if pasted: a shell with bracketed paste (bash) holds every line until
   * Enter, so a multi-line block waits for the learner. Enter only when `enter` says so.
   */
  type(text: string, enter: boolean): void {
    this.term.paste(text);
    if (enter) this.sendInput(new TextEncoder().encode('\r'));
    this.term.focus();
  }

  /**
   * Searches the scrollback for text; false when it is not there. `onResults` hears which
   * match is active and how many there are (index -1: too many to count them all).
   */
  find(
    text: string,
    backwards: boolean,
    onResults: (index: number, count: number) => void = () => undefined,
  ): boolean {
    this.searchResults = onResults;
    const options = {
      decorations: {
        matchBackground: '#3d4f63',
        activeMatchBackground: '#f29718',
        matchOverviewRuler: '#3d4f63',
        activeMatchColorOverviewRuler: '#f29718',
      },
    };
    return backwards
      ? this.addons.search.findPrevious(text, options)
      : this.addons.search.findNext(text, options);
  }

  clearSearch(): void {
    this.addons.search.clearDecorations();
  }

  private apply(settings: TerminalSettings): void {
    this.term.options.fontSize = settings.fontSize;
    this.term.options.screenReaderMode = settings.screenReader;
    this.addons.useWebgl(settings.webgl);
    this.fitNow();
  }

  fitNow(): void {
    if (this.element.offsetParent === null) return;
    try {
      this.fit.fit();
    } catch {
      // Not measurable yet (hidden tab); the observer fits it when it appears.
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.socket?.close(1000);
    this.term.dispose();
  }

  private connect(): void {
    this.onState(this.retries === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(
      this.watchOnly
        ? api.watchUrl(this.sessionId, this.name)
        : api.terminalUrl(this.sessionId, this.name),
    );
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let cleared = false;
    socket.addEventListener('open', () => {
      this.retries = 0;
      this.sendControl({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
    });
    socket.addEventListener('message', (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') {
        const parsed = parseServerControl(event.data);
        if (parsed.ok) this.handleControl(parsed.value);
        return;
      }
      if (!cleared) {
        // The first bytes after (re)connecting are the server's replay of the screen.
        this.term.reset();
        cleared = true;
      }
      this.term.write(new Uint8Array(event.data));
    });
    socket.addEventListener('close', (event) => {
      if (this.disposed || this.socket !== socket) return;
      if (FINAL_CLOSE_CODES.includes(event.code)) {
        this.onState(
          'ended',
          event.code === CLOSE_CODES.openedElsewhere ? ui().openedElsewhere : undefined,
        );
        return;
      }
      // A network blip or a server restart: try again with backoff, the shell is still there.
      this.retries += 1;
      this.onState('reconnecting');
      if (this.retries > 8) {
        this.onState('ended', ui().connectionLost);
        return;
      }
      setTimeout(() => this.connect(), Math.min(250 * 2 ** this.retries, 5000));
    });
  }

  private handleControl(message: ServerControl): void {
    switch (message.type) {
      case 'ready':
        this.onState('ready');
        this.fitNow();
        return;
      case 'exit':
        this.term.write(`\r\n\x1b[33m${message.reason}\x1b[0m\r\n`);
        if (message.code === null) this.onState('ended', message.reason);
        return;
      case 'error':
        this.term.write(`\r\n\x1b[31m${message.message}\x1b[0m\r\n`);
        return;
      case 'pong':
        return;
      case 'status':
        this.onSessionMessage(message);
        return;
      case 'notice':
        this.term.write(
          `\r\n\x1b[${message.level === 'error' ? '31' : '33'}m${message.message}\x1b[0m\r\n`,
        );
        this.onSessionMessage(message);
        return;
      case 'watched':
      case 'replaced':
        this.onSessionMessage(message);
        return;
      default: {
        const unhandled: never = message;
        console.warn('unhandled control message', unhandled);
      }
    }
  }

  /** Side by side's "type into both": what the learner types here also goes there. */
  mirror: TerminalView | undefined;

  private typed(bytes: Uint8Array<ArrayBuffer>): void {
    this.sendInput(bytes);
    // A private member of the same class: the pair's other terminal sends it as its own.
    this.mirror?.sendInput(bytes);
  }

  private sendInput(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.watchOnly) return;
    this.onActivity();
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  private sendControl(message: ClientControl): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
