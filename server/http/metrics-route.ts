// GET /metrics: Prometheus's text format, guarded like the API (a stranger gets 401, a
// workshop learner 403): the counts say who is in the room and what they are doing.
import type { NextFunction, Request, Response, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '../errors/app-error.ts';
import type { Gate } from './auth.ts';

export function metricsRoute(gate: Pick<Gate, 'access'>, registry: Registry): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const access = gate.access(req);
    if (access === undefined) {
      next(new AppError('unauthorized', 'The nslab token is missing or wrong.'));
      return;
    }
    if (!access.instructor) {
      next(new AppError('forbidden', 'Only the instructor may read the metrics.'));
      return;
    }
    registry.metrics().then((text) => {
      res.type(registry.contentType).setHeader('cache-control', 'no-store').send(text);
    }, next);
  };
}
