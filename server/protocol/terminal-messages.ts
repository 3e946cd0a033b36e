// The terminal WebSocket protocol, typed once for the server and the browser.
// Binary frames carry raw terminal bytes in both directions; text frames carry one JSON
// control message each. Unions are derived from `as const` lists so the validator and the
// type can never disagree.

export const CLIENT_CONTROL_TYPES = ['resize', 'ping'] as const;
export type ClientControlType = (typeof CLIENT_CONTROL_TYPES)[number];

export type ClientControl = { type: 'resize'; cols: number; rows: number } | { type: 'ping' };

export const SERVER_CONTROL_TYPES = [
  'ready',
  'exit',
  'error',
  'pong',
  'status',
  'notice',
  'watched',
  'replaced',
] as const;

export type ServerControl =
  /** The shell is attached; `replayed` is true when earlier output was resent after a reconnect. */
  | { type: 'ready'; terminal: string; replayed: boolean }
  /** The shell ended; the server starts a new one on the next connection. */
  | { type: 'exit'; code: number | null; reason: string }
  | { type: 'error'; message: string }
  | { type: 'pong' }
  /** The session's clock: it ends at the earlier of the two times (epoch ms). */
  | { type: 'status'; endsAt: number; idleEndsAt: number; canExtend: boolean; now: number }
  /** Something happened to the learner's containers, said in words (OOM kill, removal, ...). */
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string }
  /** Whether the instructor is watching this terminal (read-only): the learner is told. */
  | { type: 'watched'; watching: boolean }
  /**
   * The lab moved: the instructor reset it (this session ends, the learner continues in
   * `sessionId`), or a playground profile replaced this container (the same session).
   */
  | { type: 'replaced'; sessionId: string };

/** Terminal sizes outside these bounds are clamped: a 1e9-column resize must not reach Docker. */
export const TERMINAL_LIMITS = { minCols: 10, maxCols: 500, minRows: 3, maxRows: 200 } as const;

/**
 * Close codes the server uses: its own in the 4000-4999 range reserved for applications,
 * and the standard ones (RFC 6455) where they fit.
 */
export const CLOSE_CODES = {
  /** The server is shutting down. */
  serverStopping: 1001,
  /** Policy violation: the peer sent more messages than its budget allows. */
  tooManyMessages: 1008,
  /** The shell could not be started. */
  shellFailed: 1011,
  sessionEnded: 4000,
  /** The same terminal was opened by another connection (another tab), which took it over. */
  openedElsewhere: 4001,
} as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isControlType(value: unknown): value is ClientControlType {
  return typeof value === 'string' && (CLIENT_CONTROL_TYPES as readonly string[]).includes(value);
}

/** Validates one text frame from the browser. Never throws: bad input is a value, not a crash. */
export function parseClientControl(text: string): ParseResult<ClientControl> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'control frame is not JSON' };
  }
  if (!isRecord(raw) || !isControlType(raw.type)) {
    return { ok: false, error: 'unknown control message type' };
  }
  switch (raw.type) {
    case 'resize': {
      const { cols, rows } = raw;
      if (typeof cols !== 'number' || typeof rows !== 'number') {
        return { ok: false, error: 'resize needs numeric cols and rows' };
      }
      if (!Number.isFinite(cols) || !Number.isFinite(rows)) {
        return { ok: false, error: 'resize needs finite cols and rows' };
      }
      const { minCols, maxCols, minRows, maxRows } = TERMINAL_LIMITS;
      return {
        ok: true,
        value: {
          type: 'resize',
          cols: clamp(cols, minCols, maxCols),
          rows: clamp(rows, minRows, maxRows),
        },
      };
    }
    case 'ping':
      return { ok: true, value: { type: 'ping' } };
    default: {
      const unhandled: never = raw.type;
      return { ok: false, error: `unhandled control type ${String(unhandled)}` };
    }
  }
}

/** Validates one text frame from the server (used by the browser and by `verify`). */
export function parseServerControl(text: string): ParseResult<ServerControl> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'control frame is not JSON' };
  }
  if (!isRecord(raw) || typeof raw.type !== 'string') {
    return { ok: false, error: 'control frame has no type' };
  }
  if (!(SERVER_CONTROL_TYPES as readonly string[]).includes(raw.type)) {
    return { ok: false, error: `unknown server control type ${raw.type}` };
  }
  // The server is trusted here; the shape check above is enough to route the message.
  return { ok: true, value: raw as ServerControl };
}
