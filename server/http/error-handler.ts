// The one place errors become HTTP responses. Exposed AppErrors keep their message, rendered
// in the request's language; every other error is logged with its cause and shown as a
// generic message without a stack.
import type { ErrorRequestHandler, Request } from 'express';
import { AppError, isAppError } from '../errors/app-error.ts';
import { message, render, type ServerMessage } from '../errors/server-message.ts';
import { log } from '../log.ts';
import type { ApiError } from '../protocol/api-types.ts';
import { DEFAULT_LANG, LANG_PARAM, isLang, type Lang } from '../protocol/lang.ts';

const TOO_LARGE = message('body_too_large', 'The request body is too large.', '请求体太大。');
const NOT_JSON = message(
  'body_not_json',
  'The request body is not valid JSON.',
  '请求体不是有效的 JSON。',
);
const BAD_ENCODING = message(
  'body_encoding',
  'The request body encoding is not supported.',
  '不支持请求体的编码。',
);
export const NOT_FOUND = message('not_found', 'Not found.', '未找到。');
const NOT_UNDERSTOOD = message(
  'bad_request',
  'The request could not be understood.',
  '无法理解这个请求。',
);
const INTERNAL = message('internal', 'Something went wrong on the server.', '服务器出了点问题。');

function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const type = error.type;
  if (type === 'entity.too.large') return new AppError('payload_too_large', TOO_LARGE());
  if (type === 'entity.parse.failed') return new AppError('bad_request', NOT_JSON());
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new AppError('bad_request', BAD_ENCODING());
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
  if (error.status === 404) return new AppError('not_found', NOT_FOUND());
  if (error.status >= 400 && error.status < 500)
    return new AppError('bad_request', NOT_UNDERSTOOD());
  return undefined;
}

/**
 * The language to answer in. Read from the query here, not from the API's guard, because an
 * error may come before the guard ran (a missing token); a bad value answers in English (the
 * 400 that says so is the guard's).
 */
function answerLang(req: Request): Lang {
  const value: unknown = req.query[LANG_PARAM];
  return isLang(value) ? value : DEFAULT_LANG;
}

function body(code: string, said: ServerMessage, lang: Lang): ApiError {
  // A number stays a number; a message inside the message is said in the request's language.
  const entries = Object.entries(said.params).map(
    ([k, v]) => [k, typeof v === 'object' ? render(v, lang) : v] as const,
  );
  const params = entries.length > 0 ? { params: Object.fromEntries(entries) } : {};
  return { error: { code, messageId: said.id, ...params, message: render(said, lang) } };
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = isAppError(error) ? error : (fromBodyParser(error) ?? fromHttpError(error));
  if (appError?.expose === true) {
    if (appError.status >= 500)
      log.warn('request failed', { path: req.path, error: appError.cause ?? appError.message });
    res.status(appError.status).json(body(appError.code, appError.said, answerLang(req)));
    return;
  }
  log.error('unexpected error', { method: req.method, path: req.path, error });
  res.status(500).json(body('internal', INTERNAL(), answerLang(req)));
};
