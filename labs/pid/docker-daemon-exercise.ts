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
import { t } from '../shared/localized.ts';

/**
 * Every root dockerd that runs in no container (its cgroup names none: another learner's root
 * can run a program called dockerd, and once PIDs wrap it may be numbered below the real one)
 * and whose command line names none of nslab's own engine paths.
 */
export const FIND_DOCKERD =
  "for p in $(pgrep -x -u root dockerd); do grep -Eq 'docker[-/][0-9a-f]{64}' /proc/$p/cgroup && continue; ps -o args= -p $p | grep -q nslab || echo $p; done";

/** What judgeDaemon tells the learner. */
const SAYS = {
  notPid: t('That is not a process id.', '这不是一个进程号。'),
  inOwn: (pid: number, owner: string) =>
    t(
      `Process ${pid} runs inside your own ${owner} container, whatever it is called. The daemon runs outside every container.`,
      `进程 ${pid} 运行在你自己的 ${owner} 容器里，不管它叫什么名字。守护进程运行在所有容器之外。`,
    ),
  gone: (pid: number) =>
    t(`No process ${pid} runs on the host now.`, `宿主机上现在没有进程 ${pid}。`),
  notRootDockerd: (pid: number) =>
    t(`Process ${pid} is not a dockerd run by root.`, `进程 ${pid} 不是由 root 运行的 dockerd。`),
  renamed: (pid: number, container: string) =>
    t(
      `Process ${pid} is called dockerd, but it runs inside container ${container.slice(0, 12)} (its /proc/${pid}/cgroup says so): a renamed program, not an engine.`,
      `进程 ${pid} 名叫 dockerd，但它运行在容器 ${container.slice(0, 12)} 里（它的 /proc/${pid}/cgroup 如是说）：这是一个改了名的程序，不是引擎。`,
    ),
  cannotSee: t(
    "The server cannot see which files that dockerd holds open (it needs to run as root), so it cannot tell whether it is your containers' engine.",
    '服务器看不到那个 dockerd 打开了哪些文件（服务器需要以 root 运行），所以无法判断它是否就是运行你这些容器的引擎。',
  ),
  otherEngine: (pid: number) =>
    t(
      `Process ${pid} is a dockerd, but not the one that runs your containers: it holds none of their files open. Other engines run on this machine too.`,
      `进程 ${pid} 是一个 dockerd，但不是运行你这些容器的那个：它没有打开这些容器的任何文件。这台机器上还运行着其他引擎。`,
    ),
  right: (pid: number, id: string) =>
    t(
      `Right: host PID ${pid} is dockerd, running as root outside every container, and it holds your isolated container's log (${id.slice(0, 12)}-json.log) open: the engine that created your containers. A container that shares the host's PID namespace sees it, its arguments, and every container's processes; as root (uid 0, like dockerd) it could also signal it.`,
      `正确：宿主机 PID ${pid} 是 dockerd，它以 root 身份运行在所有容器之外，并打开着你的 isolated 容器的日志（${id.slice(0, 12)}-json.log）：它就是创建你这些容器的引擎。共享宿主机 PID 命名空间的容器能看到它、它的参数以及每个容器的进程；若以 root 身份（uid 0，与 dockerd 相同）运行，还能向它发信号。`,
    ),
};

async function judgeDaemon(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  if (!(await hostPidSharesHost(ctx))) return { passed: false, reason: NOT_ON_HOST, hint: 0 };
  const pid = Number(answer);
  if (!/^\d{1,9}$/.test(answer ?? '') || pid < 2)
    return { passed: false, reason: SAYS.notPid, hint: 0 };
  const owner = (await sessionPids(ctx)).get(pid);
  if (owner !== undefined) {
    return {
      passed: false,
      reason: SAYS.inOwn(pid, owner),
      hint: owner === 'isolated' ? 0 : 1,
    };
  }
  // The host-pid container numbers processes as the host does: the server reads its own /proc.
  const status = await hostStatus(pid);
  if (status === undefined) return { passed: false, reason: SAYS.gone(pid), hint: 0 };
  const rootDockerd = status.Name === 'dockerd' && (status.Uid ?? '').split(/\s+/)[0] === '0';
  if (!rootDockerd) return { passed: false, reason: SAYS.notRootDockerd(pid), hint: 1 };
  const container = await hostContainerOf(pid);
  if (container !== undefined) {
    return {
      passed: false,
      reason: SAYS.renamed(pid, container),
      hint: 3,
    };
  }
  const { LogPath: log, Id: id } = await ctx.container('isolated').inspect();
  const holds = log === '' ? undefined : await holdsOpen(pid, log);
  if (holds === undefined) {
    return {
      passed: false,
      reason: SAYS.cannotSee,
      hint: 2,
    };
  }
  if (!holds) {
    return {
      passed: false,
      reason: SAYS.otherEngine(pid),
      hint: 2,
    };
  }
  return {
    passed: true,
    reason: SAYS.right(pid, id),
  };
}

export const dockerDaemonExercise: Exercise = {
  id: 'docker-daemon',
  title: t('The daemon behind every container', '每个容器背后的守护进程'),
  goal: t(
    'Report the host PID of the Docker daemon (dockerd) that runs your containers.',
    '报告运行你这些容器的 Docker 守护进程（dockerd）在宿主机上的 PID。',
  ),
  answer: {
    label: t('Host PID of dockerd', 'dockerd 的宿主机 PID'),
    placeholder: t('1234', '1234'),
  },
  hints: [
    t(
      "The daemon is not in any container. Which of your terminals shares the host's PID namespace?",
      '守护进程不在任何容器里。你的哪个终端共享宿主机的 PID 命名空间？',
    ),
    t(
      'That is not a root dockerd outside your containers. In the host-pid terminal, look for the program named dockerd run by root.',
      '这不是一个在你的容器之外、由 root 运行的 dockerd。在 host-pid 终端里，找由 root 运行、名叫 dockerd 的程序。',
    ),
    t(
      "More than one dockerd may run here: nslab starts engines of its own (for the user-namespace lab, for some escape labs), and each names its nslab socket and data directory on its command line. Yours is Docker's own engine.",
      '这里可能运行着不止一个 dockerd：nslab 会启动自己的引擎（用于用户命名空间实验和某些逃逸实验），每个引擎都在命令行里写明它的 nslab 套接字和数据目录。你要找的是 Docker 自己的引擎。',
    ),
    t(
      "A program called dockerd may also run inside someone's container: /proc/<pid>/cgroup names the container a process runs in (docker/<64 hex digits>), and Docker's own engine runs in none.",
      '名叫 dockerd 的程序也可能运行在某人的容器里：/proc/<pid>/cgroup 写明了进程所在的容器（docker/<64 个十六进制数字>），而 Docker 自己的引擎不在任何容器中运行。',
    ),
    t(
      `In the host-pid terminal: ps -o pid,user,args -C dockerd   then the root one in no container whose arguments name nothing of nslab's: ${FIND_DOCKERD}`,
      `在 host-pid 终端中：ps -o pid,user,args -C dockerd   然后找由 root 运行、不在任何容器中、参数里不含任何 nslab 内容的那个：${FIND_DOCKERD}`,
    ),
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
