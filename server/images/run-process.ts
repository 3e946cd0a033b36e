// The build's programs (debootstrap, tar, umount, rm), spawned without a shell.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface RunResult {
  done: Promise<void>;
  stdout: Readable | null;
  kill: () => void;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Spawns a program without a shell. Output lines go to `onLine`, unless `stdoutIsData`, in
 * which case stdout is left for the caller. `done` rejects with the exit status and the last
 * lines of output, so a failure explains itself.
 */
export function runProcess(
  command: string,
  args: string[],
  opts: { onLine?: (line: string) => void; stdoutIsData?: boolean; env?: NodeJS.ProcessEnv },
): RunResult {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  const tail: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    try {
      opts.onLine?.(line);
    } catch {
      // A failing progress listener must not break the build.
    }
  };
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', onLine);
  if (opts.stdoutIsData !== true) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
  }
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new Error(`${command} is not installed (see server/setup/lib.sh: ensure_build_tools)`)
          : err,
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const status = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      const last = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
      reject(new Error(`${command} failed with ${status}${last}`));
    });
  });
  return {
    done,
    stdout: opts.stdoutIsData === true ? child.stdout : null,
    kill: () => child.kill('SIGTERM'),
  };
}
