// A small structured logger: one line per event, JSON fields after the message, so Docker
// calls can be traced by container id without a logging framework.

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const wanted = process.env.NSLAB_LOG_LEVEL;
  if (wanted === 'debug' || wanted === 'info' || wanted === 'warn' || wanted === 'error') {
    return ORDER[wanted];
  }
  // Tests and verify stay quiet unless something goes wrong.
  return process.env.VITEST ? ORDER.warn : ORDER.info;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const extra =
    fields === undefined
      ? ''
      : ` ${JSON.stringify(fields, (_key, value: unknown) => (value instanceof Error ? describe(value) : value))}`;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`;
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
