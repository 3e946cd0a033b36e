// What gVisor's own kernel (the Sentry) runs for a container, asked from the host: `runsc ps`,
// run by the server with the state directory the engine gave that sandbox. The Sentry answers
// from its own task list, which a program in the sandbox changes only by really starting or
// ending processes there; the host's /proc has no entry for those tasks at all.
import { execFile } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A process inside a gVisor sandbox, with the sandbox's own PIDs (not the host's). */
export interface SandboxProcess {
  pid: number;
  ppid: number;
  /** Its name as the Sentry keeps it (the kernel's comm: at most 15 characters). */
  cmd: string;
}

/** The `--root` the engine passed to the sandbox's host process; throws when it is not runsc. */
export async function sandboxRoot(hostPid: number, runscPath: string): Promise<string> {
  const [exe, cmdline] = await Promise.all([
    readlink(`/proc/${hostPid}/exe`),
    readFile(`/proc/${hostPid}/cmdline`, 'utf8'),
  ]);
  if (path.basename(exe) !== path.basename(runscPath)) {
    throw new Error(`host process ${hostPid} runs ${exe}, not ${runscPath}`);
  }
  const args = cmdline.split('\0');
  const inline = args.find((arg) => arg.startsWith('--root='));
  const at = args.indexOf('--root');
  const root =
    inline !== undefined ? inline.slice('--root='.length) : at >= 0 ? args[at + 1] : undefined;
  if (root === undefined || !root.startsWith('/')) {
    throw new Error(`host process ${hostPid} names no --root directory`);
  }
  return root;
}

/** `runsc ps`'s table: UID PID PPID C TTY STIME TIME CMD. */
export function parseRunscPs(text: string): SandboxProcess[] {
  const rows: SandboxProcess[] = [];
  for (const line of text.split('\n').slice(1)) {
    const match = /^\s*\d+\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+\S+\s+\S+\s+(.*?)\s*$/.exec(line);
    if (match !== null)
      rows.push({ pid: Number(match[1]), ppid: Number(match[2]), cmd: match[3] ?? '' });
  }
  return rows;
}

/** The processes inside the sandbox whose host process is `hostPid`, as its Sentry lists them. */
export async function sandboxProcesses(
  runscPath: string,
  hostPid: number,
  containerId: string,
): Promise<SandboxProcess[]> {
  if (!/^[0-9a-f]{64}$/.test(containerId)) throw new Error(`not a container id: ${containerId}`);
  const root = await sandboxRoot(hostPid, runscPath);
  const { stdout } = await run(runscPath, ['--root', root, 'ps', containerId], {
    timeout: 15_000,
    maxBuffer: 1 << 20,
  });
  return parseRunscPs(stdout);
}
