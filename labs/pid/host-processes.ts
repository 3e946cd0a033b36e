// What the pid lab's checks read about host processes, with the server's own eyes: the host's
// /proc, in the PID namespace the host-pid container shares (each check makes sure it does),
// never a program in a container. And the one fact that ties a dockerd to this session: the
// daemon that runs a container keeps that container's log file open, a host file no
// container can reach, so a process elsewhere can be named dockerd but cannot hold it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { type CheckContext, parseProcStatus } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';

/** /proc/<pid>/status of a host process, or undefined when there is no such process. */
export async function hostStatus(pid: number): Promise<Record<string, string> | undefined> {
  try {
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The id of the container host process `pid` runs in, from its cgroup; undefined for none. */
export async function hostContainerOf(pid: number): Promise<string | undefined> {
  const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  return /docker[-/]([0-9a-f]{64})/.exec(cgroup)?.[1];
}

/** The command line of every process on the host, as `ps -eo args` would print it. */
export async function hostCommandLines(): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (text) => text.replaceAll('\0', ' ').trim(),
        () => '',
      ),
    ),
  );
  return lines.filter((line) => line !== '');
}

/**
 * Whether host process `pid` holds `file` open: the same file (device and inode), not a file
 * at the same path in some container. Undefined when the server may not look at the
 * process's open files (it is not root), so nothing can be said.
 */
export async function holdsOpen(pid: number, file: string): Promise<boolean | undefined> {
  const target = await stat(file, { bigint: true });
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return undefined;
    return false;
  }
  const same = await Promise.all(
    fds.map((fd) =>
      stat(`/proc/${pid}/fd/${fd}`, { bigint: true }).then(
        (open) => open.dev === target.dev && open.ino === target.ino,
        () => false,
      ),
    ),
  );
  return same.includes(true);
}

/** The lab's containers whose processes count as "yours". */
const SESSION_CONTAINERS = ['isolated', 'host-pid', 'planted'] as const;

/** Host PIDs of every process in this session's containers, with the container's name. */
export async function sessionPids(ctx: CheckContext): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  for (const name of SESSION_CONTAINERS) {
    for (const p of await ctx.container(name).processes()) owners.set(p.pid, name);
  }
  return owners;
}

/**
 * Whether the host-pid container shares the server's PID namespace, so that a PID the learner
 * reads there is the PID the server reads in its own /proc.
 */
export async function hostPidSharesHost(ctx: CheckContext): Promise<boolean> {
  const [shared, host] = await Promise.all([
    ctx.container('host-pid').namespace('pid'),
    ctx.host.namespace('pid'),
  ]);
  return shared === host;
}

export const NOT_ON_HOST = t(
  "The host-pid container does not share this server's PID namespace; is nslab running on the Docker host?",
  'host-pid 容器没有共享本服务器的 PID 命名空间；nslab 是运行在 Docker 宿主机上吗？',
);
