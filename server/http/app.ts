// The HTTP side of nslab: the page, its assets and a small JSON API. The API accepts a lab
// id and, for checks, an answer string; nothing else a client sends ever reaches Docker.
import path from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import helmet from 'helmet';
import { dockerCheckContext } from '../checks/docker-check-context.ts';
import { AttemptLimiter } from '../checks/attempt-limiter.ts';
import { runCheck } from '../checks/run-check.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { AppError } from '../errors/app-error.ts';
import { lessonConditions, type EngineFacts } from '../host/host-facts.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { sessionView } from '../sessions/session-view.ts';
import { randomBytes } from 'node:crypto';
import { MAX_ANSWER_LENGTH, type SessionView } from '../protocol/api-types.ts';
import {
  API_PREFIX,
  API_ROUTES,
  ASSETS_PATH,
  PAGE_PATH,
  type ApiRouteName,
  type RouteParams,
} from '../protocol/routes.ts';
import type { Session } from '../sessions/session.ts';
import { skipExercise } from '../checks/skip-exercise.ts';
import type { Progress } from '../store/progress.ts';
import { type Access, type Gate, tokenCookie, tokensEqual } from './auth.ts';
import { rateLimit } from './rate-limit.ts';
import { errorHandler } from './error-handler.ts';
import { controlRoomRoutes } from './control-room-routes.ts';
import { InspectorHub } from '../inspector/inspector-hub.ts';
import { inspectorRoutes } from './inspector-routes.ts';

export interface AppDeps {
  token: string;
  /** Who each request is (token, or a workshop learner's signed cookie). */
  gate: Gate;
  graceMs: number;
  catalogue: Catalogue;
  sessions: SessionManager;
  files: SessionFiles;
  facts: EngineFacts;
  webDir: string;
  /** Ends every session and sweeps what they planted; returns how many things were removed. */
  resetHost: () => Promise<number>;
  /** Wrong answers per learner and exercise, and the wait they earn; one per app when absent. */
  attempts?: AttemptLimiter;
  /** What each learner passed and revealed, remembered across sessions and restarts. */
  progress: Progress;
  /** The isolation inspector's subscriptions; one per app when absent. */
  inspector?: InspectorHub;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts exactly the named string fields, so unexpected input is an error, not ignored. */
function stringFields(
  body: unknown,
  allowed: readonly string[],
  required: readonly string[],
): Record<string, string> {
  const value: unknown = body ?? {};
  if (!isRecord(value))
    throw new AppError('bad_request', 'The request body must be a JSON object.');
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!allowed.includes(key)) throw new AppError('bad_request', `Unexpected field "${key}".`);
    if (typeof field !== 'string')
      throw new AppError('bad_request', `Field "${key}" must be a string.`);
    out[key] = field;
  }
  for (const key of required) {
    if (!(key in out)) throw new AppError('bad_request', `Field "${key}" is required.`);
  }
  return out;
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>nslab: token needed</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>nslab needs its token</h1>
<p>Open the address that nslab printed when it started; it ends in <code>?token=…</code>
(in a workshop, the instructor's address ends in <code>?join=…</code>).
The token keeps other pages and other users of this machine from opening shells here.</p></body>`;

/** The Access the API's first middleware stored for this request. */
function accessOf(res: Response): Access {
  const access = (res.locals as { access?: Access }).access;
  if (access === undefined)
    throw new AppError('unauthorized', 'The nslab token is missing or wrong.');
  return access;
}

/** Registers one API route under the method and path template of its API_ROUTES entry. */
function route<N extends ApiRouteName>(
  router: express.Router,
  name: N,
  handler: (req: Request<RouteParams<N>>, res: Response) => void | Promise<void>,
): void {
  const { method, path: template } = API_ROUTES[name];
  const verb = method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete';
  // Express types its params from a literal path; the table's RouteParams<N> says the same.
  router[verb](template, handler as unknown as express.RequestHandler);
}

function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        // xterm.js injects <style> elements for its renderer.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * The page: a valid ?token= (or, in a workshop, ?join=) sets the cookies and redirects to
 * a clean URL, so neither stays in the address bar or the history.
 */
function servePage(deps: AppDeps): express.RequestHandler {
  return (req, res) => {
    const fresh = (): string => randomBytes(12).toString('base64url');
    const { token, join } = req.query;
    if (typeof token === 'string' || typeof join === 'string') {
      if (typeof token === 'string' && tokensEqual(token, deps.token)) {
        // A browser keeps its learner id across logins, so its sessions stay its own.
        const learner = deps.gate.learnerFor(req, fresh);
        res.setHeader('Set-Cookie', [tokenCookie(deps.token), deps.gate.learnerCookie(learner)]);
      } else if (typeof join === 'string' && deps.gate.joinCodeMatches(join)) {
        res.setHeader('Set-Cookie', deps.gate.learnerCookie(deps.gate.learnerFor(req, fresh)));
      } else {
        res.status(401).type('html').send(UNAUTHORIZED_PAGE);
        return;
      }
      res.redirect(302, PAGE_PATH);
      return;
    }
    if (deps.gate.access(req) === undefined) {
      res.status(401).type('html').send(UNAUTHORIZED_PAGE);
      return;
    }
    res.sendFile(path.join(deps.webDir, 'index.html'));
  };
}

/** Who may use the API, how often, and with bodies of what size. */
function apiGuards(router: express.Router, deps: AppDeps): void {
  router.use((req: Request, res: Response, next: NextFunction) => {
    const access = deps.gate.access(req);
    if (access === undefined) {
      next(new AppError('unauthorized', 'The nslab token is missing or wrong.'));
      return;
    }
    (res.locals as { access?: Access }).access = access;
    next();
  });
  // Per learner: all learners of a workshop may share one address behind NAT.
  router.use(
    rateLimit({
      perSecond: 20,
      burst: 60,
      key: (req) => deps.gate.access(req)?.learner ?? 'nobody',
    }),
  );
  router.use(express.json({ limit: '8kb' }));
}

/** The learner's own session, or 404: sessions of other learners do not exist for them. */
function ownSession(
  deps: AppDeps,
): (req: Request<{ sessionId: string }>, res: Response) => Session {
  return (req: Request<{ sessionId: string }>, res: Response): Session =>
    deps.sessions.get(req.params.sessionId, accessOf(res).learner);
}

function catalogueRoutes(router: express.Router, deps: AppDeps): void {
  route(router, 'labs', (_req, res) => {
    res.json(deps.catalogue.summaries(deps.facts, deps.gate.mode));
  });

  route(router, 'progress', (_req, res) => {
    res.json(deps.progress.overview(accessOf(res).learner));
  });
  // GET /api/me (with the display name) is served by control-room-routes.ts.
}

function sessionRoutes(router: express.Router, deps: AppDeps): void {
  const conditions = lessonConditions(deps.facts, deps.gate.mode);
  const own = ownSession(deps);
  const view = (session: Session): SessionView =>
    sessionView(
      session,
      deps.catalogue.lessonMarkdown(session.lab.id),
      deps.graceMs,
      conditions,
      deps.progress.ofLab(session.learner, session.lab.id),
    );

  route(router, 'startSession', async (req, res) => {
    const { labId = '' } = stringFields(req.body, ['labId'], ['labId']);
    if (deps.catalogue.find(labId) === undefined)
      throw new AppError('not_found', 'There is no lab with that id.');
    const session = await deps.sessions.create(labId, accessOf(res).learner);
    res.status(201).json(view(session));
  });

  route(router, 'session', (req, res) => {
    res.json(view(own(req, res)));
  });

  // It ends every learner's sessions: the token holder's call (solo learner or instructor).
  route(router, 'resetHost', async (_req, res) => {
    if (!accessOf(res).instructor)
      throw new AppError('forbidden', 'Only the instructor can reset the host.');
    res.json({ removed: await deps.resetHost() });
  });

  route(router, 'extend', (req, res) => {
    const session = own(req, res);
    deps.sessions.extend(session);
    res.json(view(session));
  });

  route(router, 'reset', async (req, res) => {
    const fresh = await deps.sessions.reset(own(req, res));
    res.status(201).json(view(fresh));
  });
}

function exerciseRoutes(router: express.Router, deps: AppDeps): void {
  const own = ownSession(deps);
  const attempts = deps.attempts ?? new AttemptLimiter();

  route(router, 'skip', async (req, res) => {
    const session = own(req, res);
    const result = await skipExercise(session, req.params.exerciseId, deps.files, deps.facts);
    // Shown, not earned: recorded as revealed whatever the check then says.
    deps.progress.revealed(session, result.exerciseId);
    res.json(result);
  });

  route(router, 'check', async (req, res) => {
    const session = own(req, res);
    const { answer } = stringFields(req.body, ['answer'], []);
    if (answer !== undefined && answer.length > MAX_ANSWER_LENGTH) {
      throw new AppError('bad_request', `Answers are at most ${MAX_ANSWER_LENGTH} characters.`);
    }
    const ctx = dockerCheckContext(session, deps.files, deps.facts);
    const { exerciseId } = req.params;
    const judge = () => runCheck(session.lab, exerciseId, ctx, answer);
    // Answers typed into a box can be guessed: they go through the attempt limiter.
    const learner = accessOf(res).learner;
    const result = await attempts.judgeAnswer(
      { learner, lab: session.lab, exerciseId, answer },
      judge,
      (seconds) => res.setHeader('Retry-After', String(seconds)),
    );
    deps.progress.checked(session, result);
    res.json(result);
  });

  route(router, 'endSession', async (req, res) => {
    const session = own(req, res);
    await deps.sessions.end(session.id, 'ended by the learner');
    res.status(204).end();
  });
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  app.get(PAGE_PATH, servePage(deps));
  app.use(
    ASSETS_PATH,
    express.static(path.join(deps.webDir, 'assets'), { index: false, fallthrough: false }),
  );

  const api = express.Router();
  apiGuards(api, deps);
  controlRoomRoutes(api, deps);
  catalogueRoutes(api, deps);
  sessionRoutes(api, deps);
  exerciseRoutes(api, deps);
  inspectorRoutes(api, deps.inspector ?? new InspectorHub(deps.facts), ownSession(deps));
  api.use((_req, _res, next) => next(new AppError('not_found', 'No such API route.')));
  app.use(API_PREFIX, api);
  app.use((_req, _res, next) => next(new AppError('not_found', 'Not found.')));
  app.use(errorHandler);
  return app;
}
