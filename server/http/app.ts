// The HTTP side of nslab: the page, its assets and a small JSON API. The API accepts a lab
// id and, for checks, an answer string; nothing else a client sends ever reaches Docker.
import path from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import helmet from 'helmet';
import { AttemptLimiter } from '../checks/attempt-limiter.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { lessonConditions, type EngineFacts } from '../host/host-facts.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { sessionView } from '../sessions/session-view.ts';
import { randomBytes } from 'node:crypto';
import type { SessionView } from '../protocol/api-types.ts';
import type { Lang } from '../protocol/lang.ts';
import {
  API_PREFIX,
  ASSETS_PATH,
  METRICS_PATH,
  FAVICON_FILE,
  FAVICON_PATH,
  PAGE_PATH,
} from '../protocol/routes.ts';
import type { Session } from '../sessions/session.ts';
import type { Progress } from '../store/progress.ts';
import { TOKEN_WRONG, type Access, type Gate, tokenCookie, tokensEqual } from './auth.ts';
import { rateLimit } from './rate-limit.ts';
import { stringFields } from './body-fields.ts';
import { NOT_FOUND, errorHandler } from './error-handler.ts';
import { controlRoomRoutes } from './control-room-routes.ts';
import { metricsRoute } from './metrics-route.ts';
import { workshopRoutes } from './workshop-routes.ts';
import type { OfferedLabs } from '../control-room/offered-labs.ts';
import type { PreflightRunner } from '../control-room/preflight-runner.ts';
import type { NslabMetrics } from '../metrics/nslab-metrics.ts';
import { exerciseRoutes } from './exercise-routes.ts';
import { accessOf, langOf, ownSession, requestLang, route } from './route-kit.ts';
import { InspectorHub } from '../inspector/inspector-hub.ts';
import { inspectorRoutes } from './inspector-routes.ts';
import type { Playgrounds } from '../playground/playgrounds.ts';
import { playgroundRoutes } from './playground-routes.ts';

const NO_LAB_ID = message('no_lab_id', 'There is no lab with that id.', '没有这个 id 的实验。');
const NOT_OFFERED = message(
  'lab_not_offered',
  'This workshop does not offer that lab: pick one from the list.',
  '这个工作坊不提供那个实验：请从列表里选一个。',
);
const RESET_INSTRUCTOR_ONLY = message(
  'reset_instructor_only',
  'Only the instructor can reset the host.',
  '只有讲师可以重置主机。',
);
const NO_ROUTE = message('no_api_route', 'No such API route.', '没有这个 API 路由。');

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
  /** The labs learners see and may start, in the instructor's order. */
  offered: OfferedLabs;
  preflight: PreflightRunner;
  /** Served at /metrics when present. */
  metrics?: NslabMetrics;
  /** The profile playground (labs with LabDefinition.playground); its routes 404 when absent. */
  playgrounds?: Playgrounds;
  /** The isolation inspector's subscriptions; one per app when absent. */
  inspector?: InspectorHub;
}

// Before the token there is no language choice to read, so the page says it in both.
const UNAUTHORIZED_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>nslab: token needed</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>nslab needs its token</h1>
<p>Open the address that nslab printed when it started; it ends in <code>?token=…</code>
(in a workshop, the instructor's address ends in <code>?join=…</code>).
The token keeps other pages and other users of this machine from opening shells here.</p>
<div lang="zh-Hans"><h1>nslab 需要它的令牌</h1>
<p>请打开 nslab 启动时打印的地址，它以 <code>?token=…</code> 结尾（在工作坊里，讲师给的地址以
<code>?join=…</code> 结尾）。这个令牌让其他网页和这台机器的其他用户无法在这里打开 shell。</p></div></body>`;

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
      next(new AppError('unauthorized', TOKEN_WRONG()));
      return;
    }
    (res.locals as { access?: Access }).access = access;
    // Every API call may carry ?lang=; a bad value is refused before any route runs.
    try {
      (res.locals as { lang?: Lang }).lang = requestLang(req);
    } catch (error) {
      next(error);
      return;
    }
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

function catalogueRoutes(router: express.Router, deps: AppDeps): void {
  route(router, 'labs', (_req, res) => {
    res.json(
      deps.catalogue.summaries(deps.facts, deps.gate.mode, deps.offered.labs(), langOf(res)),
    );
  });

  route(router, 'progress', (_req, res) => {
    res.json(deps.progress.overview(accessOf(res).learner));
  });
  // GET /api/me (with the display name) is served by control-room-routes.ts.
}

function sessionRoutes(router: express.Router, deps: AppDeps): void {
  const lessonHost = {
    conditions: lessonConditions(deps.facts, deps.gate.mode),
    engineVersion: deps.facts.serverVersion,
    facts: deps.facts,
    mode: deps.gate.mode,
  };
  const own = ownSession(deps);
  const nextLab = (labId: string, lang: Lang): SessionView['next'] => {
    const next = deps.catalogue.nextAfter(labId, deps.facts, deps.gate.mode, lang);
    return next === undefined ? undefined : { id: next.id, title: next.title };
  };
  // The lesson and every lab text in the request's language; progress is the same in both.
  const view = (session: Session, res: Response): SessionView => {
    const lang = langOf(res);
    return sessionView(
      session,
      deps.catalogue.lessonMarkdown(session.lab.id, lang),
      deps.graceMs,
      lessonHost,
      deps.progress.ofLab(session.learner, session.lab.id),
      deps.progress.hintsShown(session.learner, session.lab.id),
      nextLab(session.lab.id, lang),
      lang,
    );
  };

  route(router, 'startSession', async (req, res) => {
    const { labId = '' } = stringFields(req.body, ['labId'], ['labId']);
    if (deps.catalogue.find(labId) === undefined) throw new AppError('not_found', NO_LAB_ID());
    const access = accessOf(res);
    // The token holder may try any lab; learners get the workshop's.
    if (!access.instructor && !deps.offered.isOffered(labId))
      throw new AppError('forbidden', NOT_OFFERED());
    const session = await deps.sessions.create(labId, access.learner);
    res.status(201).json(view(session, res));
  });

  route(router, 'session', (req, res) => {
    res.json(view(own(req, res), res));
  });

  // It ends every learner's sessions: the token holder's call (solo learner or instructor).
  route(router, 'resetHost', async (_req, res) => {
    if (!accessOf(res).instructor) throw new AppError('forbidden', RESET_INSTRUCTOR_ONLY());
    res.json({ removed: await deps.resetHost() });
  });

  route(router, 'extend', (req, res) => {
    const session = own(req, res);
    deps.sessions.extend(session);
    res.json(view(session, res));
  });

  route(router, 'reset', async (req, res) => {
    const fresh = await deps.sessions.reset(own(req, res));
    res.status(201).json(view(fresh, res));
  });
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  app.get(PAGE_PATH, servePage(deps));
  // The SVG answers for /favicon.ico too (by its type, not its name), so no request 404s.
  app.get(FAVICON_PATH, (_req, res) => {
    res.type('image/svg+xml').sendFile(path.join(deps.webDir, 'assets', FAVICON_FILE));
  });
  app.use(
    ASSETS_PATH,
    express.static(path.join(deps.webDir, 'assets'), { index: false, fallthrough: false }),
  );

  if (deps.metrics !== undefined)
    app.get(METRICS_PATH, metricsRoute(deps.gate, deps.metrics.registry));

  const api = express.Router();
  apiGuards(api, deps);
  controlRoomRoutes(api, deps);
  workshopRoutes(api, deps);
  catalogueRoutes(api, deps);
  sessionRoutes(api, deps);
  exerciseRoutes(api, deps);
  inspectorRoutes(api, deps.inspector ?? new InspectorHub(deps.facts), ownSession(deps));
  if (deps.playgrounds !== undefined)
    playgroundRoutes(api, { sessions: deps.sessions, playgrounds: deps.playgrounds });
  api.use((_req, _res, next) => next(new AppError('not_found', NO_ROUTE())));
  app.use(API_PREFIX, api);
  app.use((_req, _res, next) => next(new AppError('not_found', NOT_FOUND())));
  app.use(errorHandler);
  return app;
}
