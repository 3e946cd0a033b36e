// Paths inside a session's own host directory: the one place that decides they stay inside it.
/** A path inside the session's directory; `..` and absolute paths are refused. */
export function sessionPath(sessionDir: string, relative: string): string {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..') || relative.startsWith('/')) {
    throw new Error(`session path must stay inside the session directory: ${relative}`);
  }
  return [sessionDir, ...parts].join('/');
}
