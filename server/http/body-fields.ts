// Request bodies as the API accepts them: a JSON object of exactly the named string fields,
// so unexpected input is an error, not ignored.
import { AppError } from '../errors/app-error.ts';

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
