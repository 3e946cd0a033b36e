// "The daemon behind every container": the learner reports the host PID of the dockerd that
// runs their containers. A process name proves nothing (any root in any container can run a
// program called dockerd, and this machine runs more than one real dockerd), so the check asks
// the host whether that process holds this session's container log open, which only the
// engine that created the container does.
import type { CheckContext, CheckOutcome, Exercise } from '../../server/lab-kit.ts';
import {
  NOT_ON_HOST,
  holdsOpen,
  hostPidSharesHost,
  hostContainerOf,
  hostStatus,
  sessionPids,
} from './host-processes.ts';

/**
 * Every root dockerd that runs in no container (its cgroup names none: another learner's root
 * can run a program called dockerd, and once PIDs wrap it may be numbered below the real one)
 * and whose command line names none of nslab's own engine paths.
 */
export const FIND_DOCKERD =
  "for p in $(pgrep -x -u root dockerd); do grep -Eq 'docker[-/][0-9a-f]{64}' /proc/$p/cgroup && continue; ps -o args= -p $p | grep -q nslab || echo $p; done";

async function judgeDaemon(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  if (!(await hostPidSharesHost(ctx))) return { passed: false, reason: NOT_ON_HOST, hint: 0 };
  const pid = Number(answer);
  if (!/^\d{1,9}$/.test(answer ?? '') || pid < 2)
    return { passed: false, reason: 'That is not a process id.', hint: 0 };
  const owner = (await sessionPids(ctx)).get(pid);
  if (owner !== undefined) {
    return {
      passed: false,
      reason: `Process ${pid} runs inside your own ${owner} container, whatever it is called. The daemon runs outside every container.`,
      hint: owner === 'isolated' ? 0 : 1,
    };
  }
  // The host-pid container numbers processes as the host does: the server reads its own /proc.
  const status = await hostStatus(pid);
  if (status === undefined)
    return { passed: false, reason: `No process ${pid} runs on the host now.`, hint: 0 };
  const rootDockerd = status.Name === 'dockerd' && (status.Uid ?? '').split(/\s+/)[0] === '0';
  if (!rootDockerd)
    return { passed: false, reason: `Process ${pid} is not a dockerd run by root.`, hint: 1 };
  const container = await hostContainerOf(pid);
  if (container !== undefined) {
    return {
      passed: false,
      reason: `Process ${pid} is called dockerd, but it runs inside container ${container.slice(0, 12)} (its /proc/${pid}/cgroup says so): a renamed program, not an engine.`,
      hint: 3,
    };
  }
  const { LogPath: log, Id: id } = await ctx.container('isolated').inspect();
  const holds = log === '' ? undefined : await holdsOpen(pid, log);
  if (holds === undefined) {
    return {
      passed: false,
      reason:
        "The server cannot see which files that dockerd holds open (it needs to run as root), so it cannot tell whether it is your containers' engine.",
      hint: 2,
    };
  }
  if (!holds) {
    return {
      passed: false,
      reason: `Process ${pid} is a dockerd, but not the one that runs your containers: it holds none of their files open. Other engines run on this machine too.`,
      hint: 2,
    };
  }
  return {
    passed: true,
    reason: `Right: host PID ${pid} is dockerd, running as root outside every container, and it holds your isolated container's log (${id.slice(0, 12)}-json.log) open: the engine that created your containers. A container that shares the host's PID namespace sees it, its arguments, and every container's processes; as root (uid 0, like dockerd) it could also signal it.`,
  };
}

export const dockerDaemonExercise: Exercise = {
  id: 'docker-daemon',
  title: 'The daemon behind every container',
  goal: 'Report the host PID of the Docker daemon (dockerd) that runs your containers.',
  answer: { label: 'Host PID of dockerd', placeholder: '1234' },
  hints: [
    "The daemon is not in any container. Which of your terminals shares the host's PID namespace?",
    'That is not a root dockerd outside your containers. In the host-pid terminal, look for the program named dockerd run by root.',
    "More than one dockerd may run here: nslab starts engines of its own (for the user-namespace lab, for some escape labs), and each names its nslab socket and data directory on its command line. Yours is Docker's own engine.",
    "A program called dockerd may also run inside someone's container: /proc/<pid>/cgroup names the container a process runs in (docker/<64 hex digits>), and Docker's own engine runs in none.",
    `In the host-pid terminal: ps -o pid,user,args -C dockerd   then the root one in no container whose arguments name nothing of nslab's: ${FIND_DOCKERD}`,
  ],
  check: judgeDaemon,
  solution: [{ terminal: 'host-pid', input: FIND_DOCKERD, capture: /^(\d+)$/m }],
  // A program is named after its file: a copy of sleep called dockerd is "dockerd" in ps. And a
  // real root dockerd that is not this session's: the user-namespace lab's engine, when it runs.
  cheat: [
    {
      terminal: 'host-pid',
      input:
        'cp /bin/sleep /tmp/dockerd; (/tmp/dockerd 300 &); sleep 0.3; pgrep -f -- --userns-remap || pgrep -nx dockerd',
      capture: /^(\d+)$/m,
    },
  ],
};
