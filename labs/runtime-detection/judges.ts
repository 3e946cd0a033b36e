// The runtime-detection lab's checks. Every verdict comes from the host: which processes
// belong to the workload container (the engine's `docker top`, that is its cgroup), and what
// the kernel records for each of them in the host's /proc (exe, ns/*, the NSpid line of
// status). Nothing a program in the monitor prints, and no process the learner starts there,
// can stand in for the planted one: it would be in the monitor's cgroup, not the workload's.
import type {
  CheckContext,
  CheckOutcome,
  HostProcess,
  NamespaceKind,
} from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import {
  DECOYS,
  innerPid,
  isDecoy,
  isPlanted,
  namespaceInode,
  ownNamespaces,
} from './planted-process.ts';

type Namespaces = Partial<Record<NamespaceKind, string>>;

interface Workload {
  processes: HostProcess[];
  planted: HostProcess[];
  /** The namespaces of the workload's main process: what its ordinary processes share. */
  namespaces: Namespaces;
}

const KINDS: readonly NamespaceKind[] = ['user', 'uts', 'mnt', 'net', 'ipc', 'pid', 'cgroup'];

async function workloadNamespaces(ctx: CheckContext): Promise<Namespaces> {
  const w = ctx.container('workload');
  const links = await Promise.all(KINDS.map(async (k) => [k, await w.namespace(k)] as const));
  return Object.fromEntries(links);
}

async function readWorkload(ctx: CheckContext): Promise<Workload> {
  const [processes, namespaces] = await Promise.all([
    ctx.container('workload').processes(),
    workloadNamespaces(ctx),
  ]);
  const planted = processes.filter((p) => isPlanted(p, namespaces.user ?? ''));
  return { processes, planted, namespaces };
}

const GONE = t(
  'No odd process is running in the workload any more: you stopped it already. "Reset lab" starts a fresh workload with a new one.',
  'workload 中已经没有可疑进程在运行了：你已经把它停掉了。"重置实验"会启动一个带有新可疑进程的全新 workload。',
);

/** Exercise 1: the PID the monitor sees for the planted process. */
export async function judgePid(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const said = Number((answer ?? '').trim());
  if (!Number.isInteger(said) || said <= 0)
    return {
      passed: false,
      reason: t('That is not a process ID.', '这不是一个进程 ID。'),
      hint: 0,
    };
  const { processes, planted } = await readWorkload(ctx);
  if (planted.length === 0) return { passed: false, reason: GONE, hint: 0 };
  const hit = planted.find((p) => innerPid(p) === said);
  if (hit !== undefined)
    return {
      passed: true,
      reason: t(
        `Right: PID ${said} calls itself "${hit.cmdline}", but the kernel says it runs ${hit.exe ?? 'a file it will not name'}, a file that no directory holds. The host knows it as PID ${hit.pid}.`,
        `正确：PID ${said} 自称 "${hit.cmdline}"，但内核说它运行的是 ${hit.exe ?? '一个不肯露名的文件'}，一个不在任何目录里的文件。宿主机上它是 PID ${hit.pid}。`,
      ),
    };
  const decoy = processes.find((p) => innerPid(p) === said);
  if (decoy !== undefined)
    return {
      passed: false,
      reason: t(
        `PID ${said} is "${decoy.cmdline}", running ${decoy.exe ?? '?'} as its package installed it: an ordinary process of the workload.`,
        `PID ${said} 是 "${decoy.cmdline}"，运行的是软件包安装的 ${decoy.exe ?? '?'}：workload 的一个普通进程。`,
      ),
      hint: 1,
    };
  const mine = (await ctx.container('monitor').processes()).some((p) => innerPid(p) === said);
  return {
    passed: false,
    reason: mine
      ? t(
          `PID ${said} is one of the monitor's own processes (your shell and what it runs): compare its mount namespace with your own, /proc/self/ns/mnt.`,
          `PID ${said} 是 monitor 自己的进程（你的 shell 及其运行的程序）：把它的挂载命名空间和你自己的 /proc/self/ns/mnt 比一比。`,
        )
      : t(
          `No process of the workload has PID ${said} in the namespace you share with it.`,
          `在你与 workload 共享的 PID 命名空间中，workload 没有 PID 为 ${said} 的进程。`,
        ),
    hint: mine ? 1 : 0,
  };
}

/** Exercise 2: the inode of a namespace the planted process made for itself. */
export async function judgeNamespace(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const said = namespaceInode(answer ?? '');
  if (said === undefined)
    return {
      passed: false,
      reason: t(
        'Give a namespace as its inode number (4026532…) or as readlink prints it (user:[4026532…]).',
        '请给出命名空间的 inode 编号（4026532…），或 readlink 打印的形式（user:[4026532…]）。',
      ),
      hint: 0,
    };
  const { planted, namespaces } = await readWorkload(ctx);
  if (planted.length === 0) return { passed: false, reason: GONE, hint: 0 };
  const own = planted.flatMap((p) => ownNamespaces(p, namespaces));
  if (own.includes(said))
    return {
      passed: true,
      reason: t(
        `Right: namespace ${said} belongs to the odd process alone; every other process of the workload shares ${namespaces.user ?? '?'} and ${namespaces.uts ?? '?'}. A process that makes itself a user namespace holds every capability inside it, where no one else is looking.`,
        `正确：命名空间 ${said} 只属于这个可疑进程；workload 的其他进程共享 ${namespaces.user ?? '?'} 和 ${namespaces.uts ?? '?'}。一个为自己创建了用户命名空间的进程，在其中拥有全部能力，而那里没有别人在看。`,
      ),
    };
  const shared = Object.values(namespaces).some((link) => namespaceInode(link) === said);
  return {
    passed: false,
    reason: shared
      ? t(
          `Namespace ${said} is one the workload's main process is in too: the odd process did not make it.`,
          `命名空间 ${said} 是 workload 的主进程也在其中的那个：不是可疑进程自己创建的。`,
        )
      : t(
          `No namespace of this workload's odd process has the inode ${said}.`,
          `这个 workload 的可疑进程没有 inode 为 ${said} 的命名空间。`,
        ),
    hint: shared ? 1 : 0,
  };
}

const OUTAGE: CheckOutcome = {
  passed: false,
  reason: t(
    'The workload stopped: its main program was killed, and the service with it. That is an outage, not a response. "Reset lab" gives a fresh workload; this time stop the odd process alone.',
    'workload 停止了：它的主程序被结束，服务也随之停止。这是一次故障，而不是响应。"重置实验"会给你一个全新的 workload；这次只停掉那个可疑进程。',
  ),
  hint: 0,
};

async function workloadRunning(ctx: CheckContext): Promise<boolean> {
  return (await ctx.container('workload').inspect()).State.Running;
}

/** Exercise 3: the planted process is gone, every decoy still runs as set-up started it. */
export async function judgeStopped(ctx: CheckContext): Promise<CheckOutcome> {
  // Killing the workload's main program (kill -1 does) ends its init and the container; while
  // it dies, its processes vanish under the reader, so a failed read asks the engine again.
  if (!(await workloadRunning(ctx))) return OUTAGE;
  let workload: Workload;
  try {
    workload = await readWorkload(ctx);
  } catch {
    // The engine may not have noticed yet: give it a moment, then read once more.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (!(await workloadRunning(ctx))) return OUTAGE;
    workload = await readWorkload(ctx);
  }
  const { processes, planted, namespaces } = workload;
  const missing = DECOYS.filter(
    (d) => !processes.some((p) => isDecoy(p, d, namespaces.user ?? '')),
  );
  if (missing.length > 0)
    return {
      passed: false,
      reason: t(
        `The workload lost ${missing.map((d) => `"${d.cmdline}"`).join(' and ')}: a response that stops the service is an outage. "Reset lab" gives a fresh workload; this time stop the odd process alone.`,
        `workload 失去了 ${missing.map((d) => `"${d.cmdline}"`).join(' 和 ')}：把服务也停掉的响应就是一次故障。"重置实验"会给你一个全新的 workload；这次只停掉那个可疑进程。`,
      ),
      hint: 1,
    };
  const stopped = planted.find((p) => (p.status['State'] ?? '').startsWith('T'));
  if (planted.length > 0)
    return {
      passed: false,
      reason:
        stopped !== undefined
          ? t(
              `PID ${innerPid(stopped) ?? '?'} is stopped (state T), not gone: anyone may SIGCONT it. End it.`,
              `PID ${innerPid(stopped) ?? '?'} 只是被暂停（状态 T），并没有消失：任何人都可以用 SIGCONT 让它继续。结束它。`,
            )
          : t(
              `The odd process still runs (PID ${innerPid(planted[0] as HostProcess) ?? '?'} in your view).`,
              `可疑进程仍在运行（在你看来是 PID ${innerPid(planted[0] as HostProcess) ?? '?'}）。`,
            ),
      hint: 0,
    };
  return {
    passed: true,
    reason: t(
      `The odd process is gone and the workload still serves: ${DECOYS.map((d) => `"${d.cmdline}"`).join(' and ')} run as before. You could signal it because you are the same user (uid 0) and it holds no capability you lack; no ptrace capability was needed.`,
      `可疑进程已经消失，而 workload 仍在提供服务：${DECOYS.map((d) => `"${d.cmdline}"`).join(' 和 ')} 照常运行。你之所以能向它发信号，是因为你们是同一个用户（uid 0），而它没有你所缺少的能力；不需要 ptrace 能力。`,
    ),
  };
}
