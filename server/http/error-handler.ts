// The one place errors become HTTP responses. Exposed AppErrors keep their message; every
// other error is logged with its cause and shown as a generic message without a stack.
import type { ErrorRequestHandler } from 'express';
import { AppError, isAppError } from '../errors/app-error.ts';
import { log } from '../log.ts';
import type { ApiError } from '../protocol/api-types.ts';

function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const type = error.type;
  if (type === 'entity.too.large')
    return new AppError('payload_too_large', 'The request body is too large.');
  if (type === 'entity.parse.failed')
    return new AppError('bad_request', 'The request body is not valid JSON.');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new AppError('bad_request', 'The request body encoding is not supported.');
  }
  return undefined;
}

/** express.static and res.sendFile raise http-errors style errors: 404 for a missing file. */
function fromHttpError(error: unknown): AppError | undefined {
  if (
    typeof error !== 'object' ||
    error === null ||
    !('status' in error) ||
    typeof error.status !== 'number'
  )
    return undefined;
  if (error.status === 404) return new AppError('not_found', 'Not found.');
  if (error.status >= 400 && error.status < 500)
    return new AppError('bad_request', 'The request could not be understood.');
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = isAppError(error) ? error : (fromBodyParser(error) ?? fromHttpError(error));
  if (appError?.expose === true) {
    if (appError.status >= 500)
      log.warn('request failed', { path: req.path, error: appError.cause ?? appError.message });
    const body: ApiError = { error: { code: appError.code, message: appError.message } };
    res.status(appError.status).json(body);
    return;
  }
  log.error('unexpected error', { method: req.method, path: req.path, error });
  const body: ApiError = {
    error: { code: 'internal', message: 'Something went wrong on the server.' },
  };
  res.status(500).json(body);
};
