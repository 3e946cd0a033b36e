// The main dockerd as it runs: found in /proc, and started again exactly as it ran.
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

// (a) ------------------------------------------------------------------------------------

export interface DaemonProcess {
  pid: number;
  exe: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Where its stdout/stderr went (a log file), reused for the restarted daemon. */
  logPath: string | undefined;
}

/** The main dockerd: the one not serving a socket under /run/nslab (the userns engine does). */
export function findMainDockerd(): DaemonProcess {
  const found: DaemonProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'dockerd') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((arg) => arg.includes('unix:///run/nslab'))) continue;
      const env = Object.fromEntries(
        readFileSync(`/proc/${entry}/environ`, 'utf8')
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      const out = readlinkSync(`/proc/${entry}/fd/1`);
      found.push({
        pid: Number(entry),
        exe: readlinkSync(`/proc/${entry}/exe`),
        argv,
        cwd: readlinkSync(`/proc/${entry}/cwd`),
        env,
        logPath: out.startsWith('/') && !out.startsWith('/dev/') ? out : undefined,
      });
    } catch {
      // The process ended while we looked.
    }
  }
  if (found.length !== 1)
    throw new Error(
      `expected exactly one main dockerd, found ${found.length}: ${found.map((d) => d.pid).join(', ')}`,
    );
  const [daemon] = found;
  if (daemon === undefined) throw new Error('unreachable');
  return daemon;
}

export async function engineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Starts dockerd again exactly as it ran (same binary, arguments, directory, environment, log). */
export function startDaemonLike(daemon: DaemonProcess): number {
  const log = openSync(daemon.logPath ?? '/var/log/nslab-dockerd.log', 'a');
  const child = spawn(daemon.exe, daemon.argv.slice(1), {
    argv0: daemon.argv[0] ?? 'dockerd',
    cwd: daemon.cwd,
    env: daemon.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  closeSync(log);
  return child.pid ?? -1;
}
