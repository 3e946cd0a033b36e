// Registering a route only the token holder (the instructor) may use: a learner is refused
// with 403; a stranger was already refused with 401 by the API's first guard.
import type express from 'express';
import type { Request, Response, NextFunction } from 'express';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { API_ROUTES, type ApiRouteName, type RouteParams } from '../protocol/routes.ts';
import { TOKEN_WRONG, type Access } from './auth.ts';

const INSTRUCTOR_ONLY = message(
  'instructor_only',
  'Only the instructor may use the control room.',
  '只有讲师可以使用控制室。',
);

export function instructorOnly(_req: Request, res: Response, next: NextFunction): void {
  const access = (res.locals as { access?: Access }).access;
  if (access === undefined) {
    next(new AppError('unauthorized', TOKEN_WRONG()));
    return;
  }
  if (!access.instructor) {
    next(new AppError('forbidden', INSTRUCTOR_ONLY()));
    return;
  }
  next();
}

/** Registers one API_ROUTES entry behind instructorOnly. */
export function instructorRoute<N extends ApiRouteName>(
  router: express.Router,
  name: N,
  handler: (req: Request<RouteParams<N>>, res: Response) => void | Promise<void>,
): void {
  const { method, path } = API_ROUTES[name];
  const verb = method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete';
  // Express 5 forwards a rejected promise to the error handler.
  router[verb](path, instructorOnly, handler as unknown as express.RequestHandler);
}
