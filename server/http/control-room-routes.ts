// The control room's API: the roster (now, and pushed as Server-Sent Events along with
// preflight's progress), a broadcast to every learner, and reset or end of one learner's
// session. Only the token holder (the
// instructor) gets here: a learner is refused with 403, a stranger was already refused with
// 401 by the API's first guard. Watching a terminal is a WebSocket: the terminal gateway.
import type express from 'express';
import type { Request, Response } from 'express';
import type { PreflightRunner } from '../control-room/preflight-runner.ts';
import { RosterFeed } from '../control-room/roster.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import {
  DISPLAY_NAME_PATTERN,
  MAX_BROADCAST_LENGTH,
  type Me,
  type PreflightView,
} from '../protocol/api-types.ts';
import { API_ROUTES } from '../protocol/routes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Progress } from '../store/progress.ts';
import type { Access, Gate } from './auth.ts';
import { instructorRoute as register } from './instructor-routes.ts';
import { accessOf } from './route-kit.ts';
import { END_REASONS } from '../sessions/end-reasons.ts';

const ONE_FIELD = message(
  'body_one_field',
  'The body must be {"{{name}}": "<text>"}.',
  '请求体必须是 {"{{name}}": "<text>"}。',
);
const FROM_INSTRUCTOR = message('notice_instructor', 'Instructor: {{text}}', '讲师：{{text}}');
const EMPTY_MESSAGE = message('message_empty', 'The message is empty.', '消息是空的。');
const MESSAGE_TOO_LONG = message(
  'message_too_long',
  'Messages are at most {{max}} characters.',
  '消息最多 {{max}} 个字符。',
);
const BAD_NAME = message(
  'bad_display_name',
  'A name is 1 to 40 letters, digits, spaces, dots, dashes or underscores.',
  '名字由 1 到 40 个字母、数字、空格、点、连字符或下划线组成。',
);

export interface ControlRoomDeps {
  gate: Pick<Gate, 'mode'>;
  sessions: SessionManager;
  progress: Progress;
  /** Its runs are pushed on the same event stream as the roster. */
  preflight: PreflightRunner;
}

/** Keeps proxies and browsers from closing a quiet event stream. */
const KEEPALIVE_MS = 20_000;

/** The one string field a control-room or name body carries; anything else is refused. */
function onlyField(body: unknown, name: string): string {
  const value: unknown = body ?? {};
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  const field = (value as Record<string, unknown>)[name];
  if (keys.length !== 1 || typeof field !== 'string')
    throw new AppError('bad_request', ONE_FIELD({ name }));
  return field;
}

function broadcastText(body: unknown): string {
  const message = onlyField(body, 'message');
  if (message.trim() === '') throw new AppError('bad_request', EMPTY_MESSAGE());
  if (message.length > MAX_BROADCAST_LENGTH)
    throw new AppError('bad_request', MESSAGE_TOO_LONG({ max: MAX_BROADCAST_LENGTH }));
  return message.trim();
}

/** The control room's event stream: `roster` on every change, `preflight` as a run goes. */
function streamControl(
  feed: RosterFeed,
  preflight: PreflightRunner,
): (req: Request, res: Response) => void {
  return (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const send = (event: string, data: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = feed.subscribe((roster) => send('roster', roster));
    const onPreflight = (view: PreflightView): void => send('preflight', view);
    preflight.changes.on('change', onPreflight);
    send('preflight', preflight.current());
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    // The response's close is the connection's: the page went away or the server stops.
    res.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      preflight.changes.off('change', onPreflight);
    });
  };
}

/** GET /api/me (who the page belongs to, with the display name) and POST /api/me/name. */
function learnerNameRoutes(router: express.Router, deps: ControlRoomDeps): void {
  const me = (access: Access): Me => {
    const displayName = deps.progress.displayName(access.learner);
    return {
      mode: deps.gate.mode,
      instructor: access.instructor,
      ...(displayName === undefined ? {} : { displayName }),
    };
  };
  router.get(API_ROUTES.me.path, (_req, res) => {
    res.json(me(accessOf(res)));
  });
  // The name is shown in the control room; the pages only ever put it in textContent.
  router.post(API_ROUTES.displayName.path, (req, res) => {
    const name = onlyField(req.body, 'name').trim().normalize('NFC');
    if (!DISPLAY_NAME_PATTERN.test(name)) throw new AppError('bad_request', BAD_NAME());
    const access = accessOf(res);
    deps.progress.named(access.learner, name);
    res.json(me(access));
  });
}

export function controlRoomRoutes(router: express.Router, deps: ControlRoomDeps): void {
  learnerNameRoutes(router, deps);
  const feed = new RosterFeed(deps.sessions, deps.progress);
  register(router, 'roster', (_req, res) => {
    res.json(feed.snapshot());
  });
  register(router, 'rosterStream', streamControl(feed, deps.preflight));
  register(router, 'broadcast', (req, res) => {
    // The instructor's words are theirs, the same in every language; only the label is ours.
    const message = FROM_INSTRUCTOR({ text: broadcastText(req.body) });
    let reached = 0;
    for (const session of deps.sessions.all()) {
      session.broadcast({ type: 'notice', level: 'info', message });
      reached += 1;
    }
    res.json({ sessions: reached });
  });
  register(router, 'controlReset', async (req, res) => {
    const session = deps.sessions.get(req.params.sessionId);
    const fresh = await deps.sessions.replace(session, END_REASONS.instructorReset());
    res.status(201).json({ sessionId: fresh.id });
  });
  register(router, 'controlEnd', async (req, res) => {
    const session = deps.sessions.get(req.params.sessionId);
    await deps.sessions.end(session.id, END_REASONS.byInstructor());
    res.status(204).end();
  });
}
