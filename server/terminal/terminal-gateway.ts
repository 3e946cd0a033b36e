// Accepts terminal WebSockets. Every check happens before the upgrade completes: the token,
// the Origin (a foreign page must not drive a learner's shell), the session and the
// terminal name. Frames are small, control messages are validated, dead peers are dropped.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { type Gate, originAllowed } from '../http/auth.ts';
import { TokenBucket } from '../http/rate-limit.ts';
import { message } from '../errors/server-message.ts';
import { log } from '../log.ts';
import { NAME_PATTERN } from '../protocol/api-types.ts';
import { matchApiPath } from '../protocol/routes.ts';
import { CLOSE_CODES, parseClientControl } from '../protocol/terminal-messages.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { sendControl, type Terminal } from './terminal.ts';
import { NO_TRAFFIC, type TerminalTraffic } from './terminal-traffic.ts';
import { setSocketLang, upgradeLang } from './socket-lang.ts';

// `detail` is the parser's own words (English): only a page that is not nslab's sees it.
const BAD_CONTROL = message(
  'bad_control',
  'The terminal did not understand a control message: {{detail}}.',
  '终端看不懂一条控制消息：{{detail}}。',
);
const NO_SHELL = message('no_shell', 'The shell could not be started.', 'shell 没能启动。');

export const MAX_FRAME_BYTES = 64 * 1024;
export const MESSAGES_PER_SECOND = 500;
export const MESSAGE_BURST = 2_000;
const HEARTBEAT_MS = 15_000;
/**
 * Input the shell has not taken yet (a program that does not read its terminal). Past the
 * high mark the socket is no longer read until the backlog drains below the low mark, so the
 * sender is held back by TCP instead of growing server memory. A peer held that long is
 * dropped by the heartbeat like a dead one, and can reconnect.
 */
const INPUT_HIGH_WATERMARK = 1024 * 1024;
const INPUT_LOW_WATERMARK = 256 * 1024;

export interface GatewayOptions {
  /** Who may open a terminal: the token holder, or a workshop learner (own sessions only). */
  gate: Gate;
  allowedOrigins: () => readonly string[];
  sessions: SessionManager;
  /** Told of bytes and sockets (the metrics). */
  traffic?: TerminalTraffic;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
  );
}

export class TerminalGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly traffic: TerminalTraffic;

  constructor(private readonly options: GatewayOptions) {
    this.traffic = options.traffic ?? NO_TRAFFIC;
    this.heartbeat = setInterval(() => this.sweepDeadPeers(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attachTo(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.wss.clients)
      client.close(CLOSE_CODES.serverStopping, 'server stopping');
    this.wss.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://nslab.invalid');
    const own = matchApiPath('terminal', url.pathname);
    const watched = own === undefined ? matchApiPath('watch', url.pathname) : undefined;
    const match = own ?? watched;
    if (match === undefined) return refuse(socket, 404, 'Not Found');
    // The notices this socket gets are in its page's language; a bad value is refused as the API does.
    const lang = upgradeLang(url);
    if (lang === undefined) return refuse(socket, 400, 'Bad Request');
    const access = this.options.gate.access(req);
    if (access === undefined) return refuse(socket, 401, 'Unauthorized');
    if (!originAllowed(req.headers.origin, this.options.allowedOrigins())) {
      log.warn('terminal upgrade from a foreign origin refused', { origin: req.headers.origin });
      return refuse(socket, 403, 'Forbidden');
    }
    // Watching is the control room's: a learner may not look into anyone's terminal that way.
    if (watched !== undefined && !access.instructor) return refuse(socket, 403, 'Forbidden');
    const { sessionId, terminal: name } = match;
    let session: Session;
    try {
      session = this.options.sessions.get(
        sessionId,
        watched === undefined ? access.learner : undefined,
      );
    } catch {
      return refuse(socket, 404, 'Not Found');
    }
    const terminal = NAME_PATTERN.test(name) ? session.terminal(name) : undefined;
    if (terminal === undefined) return refuse(socket, 404, 'Not Found');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      setSocketLang(ws, lang);
      if (watched === undefined) this.connected(ws, session, terminal);
      else this.watching(ws, terminal);
    });
  }

  /** A read-only viewer: whatever it sends is dropped; it only receives output. */
  private watching(ws: WebSocket, terminal: Terminal): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    this.traffic.socketOpened('watch');
    ws.on('close', () => {
      terminal.unwatch(ws);
      this.traffic.socketClosed('watch');
    });
    ws.on('error', (error) => log.debug('watch socket error', { error: error.message }));
    terminal.watch(ws);
  }

  private connected(ws: WebSocket, session: Session, terminal: Terminal): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    this.options.sessions.terminalAttached(session);
    this.traffic.socketOpened('terminal');
    // Typing is a few messages a second and a paste is one; thousands a second is abuse.
    const budget = new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST);
    let inputHeld: NodeJS.Timeout | undefined;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!budget.take()) {
        ws.close(CLOSE_CODES.tooManyMessages, 'too many messages');
        return;
      }
      if (isBinary) {
        terminal.input(data);
        this.traffic.input(data.length);
        if (inputHeld === undefined && terminal.pendingInput > INPUT_HIGH_WATERMARK) {
          ws.pause();
          inputHeld = setInterval(() => {
            if (ws.readyState === WebSocket.OPEN && terminal.pendingInput > INPUT_LOW_WATERMARK)
              return;
            clearInterval(inputHeld);
            inputHeld = undefined;
            ws.resume();
          }, 20);
        }
        return;
      }
      const parsed = parseClientControl(data.toString('utf8'));
      if (!parsed.ok) {
        sendControl(ws, { type: 'error', message: BAD_CONTROL({ detail: parsed.error }) });
        return;
      }
      terminal.control(parsed.value);
    });
    ws.on('close', () => {
      this.traffic.socketClosed('terminal');
      clearInterval(inputHeld);
      terminal.detach(ws);
      if (!session.isEnded) this.options.sessions.terminalDetached(session);
    });
    ws.on('error', (error) =>
      log.debug('terminal socket error', { session: session.id, error: error.message }),
    );
    terminal
      .attach(ws, this.traffic)
      .then(() => sendControl(ws, session.status()))
      .catch((error: unknown) => {
        log.warn('terminal attach failed', {
          session: session.id,
          terminal: terminal.name,
          error: String(error),
        });
        sendControl(ws, { type: 'error', message: NO_SHELL() });
        ws.close(CLOSE_CODES.shellFailed, 'shell failed');
      });
  }

  private sweepDeadPeers(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
