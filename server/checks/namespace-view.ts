// One namespace's view of the kernel, taken by the host's own programs. Some tables exist only
// per namespace and are shown to whoever asks from inside it: System V IPC (/proc/sysvipc/*
// answers for the reader's IPC namespace), a network namespace's sysctls and its interfaces
// (netlink). The server enters exactly that one namespace of a container's process with the
// host's nsenter and runs the host's cat or ip there: never the container's mount namespace,
// so no program, library or file of the container is involved.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The namespaces a check may enter, one at a time, and nsenter's option for each. */
const ENTER = { net: '--net', ipc: '--ipc' } as const;
export type EnteredNamespace = keyof typeof ENTER;

/** The host's programs, in its system directories; the container's are never reachable. */
const HOST_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

export class HostToolMissing extends Error {
  constructor(tool: string) {
    super(
      `${tool} is not installed on the host; the checks read namespaces with it (see server/setup/lib.sh: ensure_build_tools)`,
    );
    this.name = 'HostToolMissing';
  }
}

/**
 * Runs `argv` (a host program) in the `kind` namespace of host process `pid`, and nothing
 * else of it: nsenter --target <pid> --<kind> -- argv.
 */
export async function inNamespace(
  pid: number,
  kind: EnteredNamespace,
  argv: readonly string[],
): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`not a container process: ${pid}`);
  try {
    const { stdout } = await run('nsenter', ['--target', String(pid), ENTER[kind], '--', ...argv], {
      env: HOST_ENV,
      timeout: 10_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new HostToolMissing('nsenter');
    throw error;
  }
}

/** /proc/sysvipc/<kind> of the process's IPC namespace, printed by the host's cat. */
export function sysvIpcTable(pid: number, kind: 'shm' | 'msg' | 'sem'): Promise<string> {
  return inNamespace(pid, 'ipc', ['cat', `/proc/sysvipc/${kind}`]);
}

/** A sysctl under /proc/sys/net of the process's network namespace ("ipv4/ping_group_range"). */
export function netSysctl(pid: number, name: string): Promise<string> {
  if (!/^[a-z0-9_]+(\/[a-z0-9_.-]+)+$/i.test(name) || name.includes('..'))
    throw new Error(`not a net sysctl name: ${name}`);
  return inNamespace(pid, 'net', ['cat', `/proc/sys/net/${name}`]);
}

/** The interfaces of the process's network namespace: the host's `ip -o link`. */
export function netLinks(pid: number): Promise<string> {
  return inNamespace(pid, 'net', ['ip', '-o', 'link']);
}
