// A container's hostname as its kernel holds it: the nodename of its UTS namespace. No file
// shows it to the host (/proc/sys/kernel/hostname answers for the reader's own namespace), so
// the server enters that one namespace of the container's process with the host's nsenter and
// asks the host's uname. Nothing of the container (its programs, libraries, mount namespace)
// is involved, so its root cannot fake the answer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ContainerEvidence } from '../../server/lab-kit.ts';

const run = promisify(execFile);

/** The host's programs only, in its system directories. */
const HOST_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** The nodename of the UTS namespace that host process `pid` lives in. */
export async function utsNodename(pid: number): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`not a container process: ${pid}`);
  const { stdout } = await run('nsenter', ['--target', String(pid), '--uts', '--', 'uname', '-n'], {
    env: HOST_ENV,
    timeout: 10_000,
  });
  return stdout.trim();
}

/** The kernel's hostname for a running container (its main process's UTS namespace). */
export async function kernelHostname(box: ContainerEvidence): Promise<string> {
  const info = await box.inspect();
  if (!info.State.Running || info.State.Pid <= 1)
    throw new Error('the container is not running, so it has no kernel hostname to read');
  return utsNodename(info.State.Pid);
}
