// Request bodies as the API accepts them: a JSON object of exactly the named string fields,
// so unexpected input is an error, not ignored.
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';

/** Also the playground's answer to a body that is not an object. */
export const NOT_AN_OBJECT = message(
  'body_not_object',
  'The request body must be a JSON object.',
  '请求体必须是一个 JSON 对象。',
);
const UNEXPECTED_FIELD = message(
  'unexpected_field',
  'Unexpected field "{{field}}".',
  '意外的字段 "{{field}}"。',
);
const NOT_A_STRING = message(
  'field_not_string',
  'Field "{{field}}" must be a string.',
  '字段 "{{field}}" 必须是字符串。',
);
const REQUIRED = message(
  'field_required',
  'Field "{{field}}" is required.',
  '缺少必需的字段 "{{field}}"。',
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts exactly the named string fields, so unexpected input is an error, not ignored. */
export function stringFields(
  body: unknown,
  allowed: readonly string[],
  required: readonly string[],
): Record<string, string> {
  const value: unknown = body ?? {};
  if (!isRecord(value)) throw new AppError('bad_request', NOT_AN_OBJECT());
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!allowed.includes(key)) throw new AppError('bad_request', UNEXPECTED_FIELD({ field: key }));
    if (typeof field !== 'string') throw new AppError('bad_request', NOT_A_STRING({ field: key }));
    out[key] = field;
  }
  for (const key of required) {
    if (!(key in out)) throw new AppError('bad_request', REQUIRED({ field: key }));
  }
  return out;
}
