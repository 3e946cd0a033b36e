// What every API route file shares: registering a route from the routes table, the caller's
// Access and the caller's own session (strict body fields are body-fields.ts).
import type express from 'express';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { DEFAULT_LANG, LANG_PARAM, LANGUAGES, isLang, type Lang } from '../protocol/lang.ts';
import { API_ROUTES, type ApiRouteName, type RouteParams } from '../protocol/routes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Session } from '../sessions/session.ts';
import { TOKEN_WRONG, type Access } from './auth.ts';

const BAD_LANG = message(
  'bad_lang',
  'The query parameter "{{param}}" must be one of {{languages}}.',
  '查询参数 "{{param}}" 必须是 {{languages}} 之一。',
);

/** The Access the API's first middleware stored for this request. */
export function accessOf(res: Response): Access {
  const access = (res.locals as { access?: Access }).access;
  if (access === undefined) throw new AppError('unauthorized', TOKEN_WRONG());
  return access;
}

/**
 * The language the request asked for (`?lang=`), read once per request by the API's guards:
 * absent is English; anything but a known language is a 400 naming the parameter, so a
 * page with a typo learns it at once instead of silently reading English.
 */
export function requestLang(req: Request): Lang {
  const value: unknown = req.query[LANG_PARAM];
  if (value === undefined) return DEFAULT_LANG;
  if (isLang(value)) return value;
  throw new AppError(
    'bad_request',
    BAD_LANG({ param: LANG_PARAM, languages: LANGUAGES.join(', ') }),
  );
}

/** The language the API's guards read for this request (English before they ran). */
export function langOf(res: Response): Lang {
  return (res.locals as { lang?: Lang }).lang ?? DEFAULT_LANG;
}

/** Registers one API route under the method and path template of its API_ROUTES entry. */
export function route<N extends ApiRouteName>(
  router: express.Router,
  name: N,
  handler: (req: Request<RouteParams<N>>, res: Response) => void | Promise<void>,
): void {
  const { method, path: template } = API_ROUTES[name];
  const verb = method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete';
  // Express types its params from a literal path; the table's RouteParams<N> says the same.
  router[verb](template, handler as unknown as express.RequestHandler);
}

/** The learner's own session, or 404: sessions of other learners do not exist for them. */
export function ownSession(deps: {
  sessions: SessionManager;
}): (req: Request<{ sessionId: string }>, res: Response) => Session {
  return (req: Request<{ sessionId: string }>, res: Response): Session =>
    deps.sessions.get(req.params.sessionId, accessOf(res).learner);
}
