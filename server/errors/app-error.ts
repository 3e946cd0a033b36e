// One error type for everything the server reports to a client. `expose` records whether the
// message is safe to show: learners see exposed messages; everything else becomes a generic
// "internal error" while the log keeps the cause. The message is a ServerMessage, in every
// language: the error handler renders it in the request's language, and `message` (what logs
// and stack traces show) is its English.
import { render, type ServerMessage } from './server-message.ts';

export type AppErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'engine_unavailable'
  | 'internal';

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  engine_unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** What the client is told, in every language. */
  readonly said: ServerMessage;

  constructor(
    code: AppErrorCode,
    said: ServerMessage,
    options?: { cause?: unknown; expose?: boolean },
  ) {
    super(render(said, 'en'), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.expose = options?.expose ?? code !== 'internal';
    this.said = said;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
