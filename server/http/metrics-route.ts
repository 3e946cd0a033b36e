// GET /metrics: Prometheus's text format, guarded like the API (a stranger gets 401, a
// workshop learner 403): the counts say who is in the room and what they are doing.
import type { NextFunction, Request, Response, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { TOKEN_WRONG, type Gate } from './auth.ts';

const METRICS_INSTRUCTOR_ONLY = message(
  'metrics_instructor_only',
  'Only the instructor may read the metrics.',
  '只有讲师可以读取这些指标。',
);

export function metricsRoute(gate: Pick<Gate, 'access'>, registry: Registry): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const access = gate.access(req);
    if (access === undefined) {
      next(new AppError('unauthorized', TOKEN_WRONG()));
      return;
    }
    if (!access.instructor) {
      next(new AppError('forbidden', METRICS_INSTRUCTOR_ONLY()));
      return;
    }
    registry.metrics().then((text) => {
      res.type(registry.contentType).setHeader('cache-control', 'no-store').send(text);
    }, next);
  };
}
