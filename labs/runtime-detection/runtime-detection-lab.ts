// Runtime threat detection (the essay's "runtime threat detection and response"): a workload
// runs two ordinary programs and one planted process that hides by name, by running from a
// memory-backed file and by sitting in namespaces of its own. The learner watches it from a
// monitor container that shares the workload's PID namespace (--pid=container:workload), the
// way a Falco- or Tracee-style sidecar does, tells the odd process apart by what the kernel
// records (/proc/<pid>/exe, /proc/<pid>/ns/*), and stops it without stopping the service.
// Measured: reading another process's exe and ns links needs ptrace "read" access, which the
// kernel grants to the same uid when the target holds no capability the reader lacks; so the
// monitor keeps --cap-drop ALL and needs no SYS_PTRACE because the workload runs with none
// either. Checks read the host's /proc for the workload's cgroup (judges.ts).
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';
import { judgeNamespace, judgePid, judgeStopped } from './judges.ts';
import { plantedValue, START_WORKLOAD } from './planted-process.ts';
import { WORKLOAD_PROFILE_JSON, WORKLOAD_PROFILE_NAME } from './workload-profile.ts';

const LIMITS = { memoryMb: 128, pidsLimit: 64, cpus: 0.5 } as const;

/** Read-only, no capabilities, no privilege gain: the seeds' hardening for both containers. */
const LOCKED: Pick<ContainerProfile, 'readonlyRootfs' | 'tmpfs' | 'capDrop'> = {
  readonlyRootfs: true,
  tmpfs: { '/tmp': 'rw,nosuid,nodev,noexec,size=16m' },
  capDrop: ['ALL'],
};

/** Every process whose program no directory holds: a memfd, or a file deleted since it started. */
export const FIND_ODD = `for p in /proc/[0-9]*; do case "$(readlink $p/exe)" in /memfd:*|*' (deleted)') echo "\${p#/proc/}";; esac; done`;
const LIST_EXE = `for p in /proc/[0-9]*; do echo "\${p#/proc/} $(readlink $p/exe) $(tr '\\0' ' ' < $p/cmdline)"; done`;
const ODD_NS = `readlink /proc/$(${FIND_ODD})/ns/user`;
const STOP_ODD = `kill -KILL $(${FIND_ODD})`;

export const runtimeDetectionLab: LabDefinition = {
  id: 'runtime-detection',
  title: t('Runtime detection: the odd process', '运行时检测：可疑的进程'),
  topic: 'audit',
  summary: t(
    'A process in the workload hides behind a harmless name. Watch the workload from a monitor that shares its PID namespace, find the intruder by what the kernel records (the file it runs, its namespaces), and stop it without stopping the service.',
    'workload 中有一个进程躲在无害的名字后面。从一个与它共享 PID 命名空间的监控容器观察 workload，根据内核的记录（它运行的文件、它的命名空间）找出入侵者，并在不中断服务的前提下停掉它。',
  ),
  minutes: 12,
  learned: [
    t(
      'A process chooses its own name: argv and comm are writable, so ps shows what it wants you to see.',
      '进程的名字由它自己决定：argv 和 comm 都可以改写，所以 ps 显示的是它想让你看到的。',
    ),
    t(
      "The kernel's record is harder to fake: /proc/<pid>/exe names the file a process runs, even a memfd: or a (deleted) one.",
      '内核的记录更难伪造：/proc/<pid>/exe 指出进程运行的文件，即使它是 memfd: 或 (deleted) 的文件。',
    ),
    t(
      'A monitor sharing the PID namespace sees every process; /proc/<pid>/ns shows which namespaces each one really lives in.',
      '共享 PID 命名空间的监控者能看到每个进程；/proc/<pid>/ns 显示每个进程真正所在的命名空间。',
    ),
    t(
      'A response must be precise: kill the intruder by its PID, not by a name it shares with the service.',
      '响应必须精确：按 PID 结束入侵者，而不是按它与服务共用的名字。',
    ),
  ],
  lesson: 'runtime-detection.md',
  containers: [
    {
      name: 'workload',
      title: t('workload (the service; no terminal)', 'workload（被监控的服务；无终端）'),
      terminal: false,
      hostname: 'web',
      // Writable: set-up's planted value arrives through the engine's archive API, which a
      // read-only root refuses.
      capDrop: ['ALL'],
      tmpfs: LOCKED.tmpfs,
      // Not unconfined: the learner's monitor can ptrace this container's processes (same uid,
      // no capabilities), so whatever seccomp lets the intruder do, a learner could do through
      // it. The profile lets through the one unshare the intruder makes (a user and a UTS
      // namespace) and refuses what Docker's default refuses a capless container besides.
      securityOpt: ['no-new-privileges'],
      seccompProfile: { name: WORKLOAD_PROFILE_NAME, json: WORKLOAD_PROFILE_JSON },
      ...LIMITS,
    },
    {
      name: 'monitor',
      title: t(
        'monitor (--pid=container:workload, --cap-drop ALL, --read-only)',
        'monitor（--pid=container:workload、--cap-drop ALL、--read-only）',
      ),
      hostname: 'monitor',
      pidMode: { container: 'workload' },
      ...LOCKED,
      securityOpt: ['no-new-privileges'],
      memoryMb: 64,
      pidsLimit: 64,
      cpus: 0.5,
    },
  ],
  setup: async (ctx) => {
    await runWithPlantedValue(
      ctx,
      'workload',
      JSON.stringify(plantedValue(ctx.sessionToken)),
      START_WORKLOAD,
    );
  },
  exercises: [
    {
      id: 'find-odd',
      title: t('Which process is lying?', '哪个进程在说谎？'),
      goal: t(
        "Report the PID (as the monitor sees it) of the workload's process that is not what its name says.",
        '报告 workload 中名不副实的那个进程的 PID（以 monitor 看到的为准）。',
      ),
      answer: { label: t('PID', 'PID'), placeholder: t('123', '123') },
      hints: [
        t(
          'Names are chosen by the process itself. What does the kernel record that a process cannot rename? Look in /proc/<pid>/.',
          '名字是进程自己选的。内核记录了哪些进程改不了的东西？看看 /proc/<pid>/。',
        ),
        t(
          '/proc/<pid>/exe links to the file a process really runs. A program installed by a package lives under /usr; a memfd: or a (deleted) file does not.',
          '/proc/<pid>/exe 指向进程真正运行的文件。软件包安装的程序位于 /usr 下；memfd: 或 (deleted) 的文件则不然。',
        ),
        t(`In the monitor terminal: ${LIST_EXE}`, `在 monitor 终端中：${LIST_EXE}`),
      ],
      check: judgePid,
      // The checks read the planted process alive; exercise 3 stops it.
      momentary: true,
      solution: [{ terminal: 'monitor', input: FIND_ODD, capture: /^(\d+)$/m }],
      cheat: [
        // The monitor's own shell, and the log follower (a decoy the disguise never copies).
        { terminal: 'monitor', input: 'echo $$', capture: /^(\d+)$/m },
        { terminal: 'monitor', input: 'pgrep -x tail', capture: /^(\d+)$/m },
      ],
    },
    {
      id: 'own-namespace',
      title: t('A namespace of its own', '它自己的命名空间'),
      goal: t(
        'Report the inode of a namespace the odd process is in and the rest of the workload is not.',
        '报告可疑进程所在、而 workload 其余进程不在的某个命名空间的 inode。',
      ),
      answer: {
        label: t('Namespace', '命名空间'),
        placeholder: t('user:[4026532…]', 'user:[4026532…]'),
      },
      hints: [
        t(
          'Each process has one link per namespace kind in /proc/<pid>/ns; two processes share a namespace when the links read the same.',
          '每个进程在 /proc/<pid>/ns 中每种命名空间各有一个链接；两个进程的链接相同，就说明它们共享这个命名空间。',
        ),
        t(
          'Compare the odd process with PID 1 of the workload, kind by kind: readlink /proc/1/ns/* /proc/<pid>/ns/*.',
          '逐种比较可疑进程与 workload 的 PID 1：readlink /proc/1/ns/* /proc/<pid>/ns/*。',
        ),
        t(`In the monitor terminal: ${ODD_NS}`, `在 monitor 终端中：${ODD_NS}`),
      ],
      check: judgeNamespace,
      momentary: true,
      solution: [{ terminal: 'monitor', input: ODD_NS, capture: /user:\[(\d+)\]/ }],
      // The workload's user namespace is the host's, shared by every container here.
      cheat: [
        { terminal: 'monitor', input: 'readlink /proc/1/ns/user', capture: /(user:\[\d+\])/ },
      ],
    },
    {
      id: 'stop-odd',
      title: t('Respond without an outage', '响应，但不造成故障'),
      goal: t(
        'Stop the odd process for good, and leave every ordinary process of the workload running.',
        '彻底停掉可疑进程，并让 workload 的所有普通进程继续运行。',
      ),
      hints: [
        t(
          'Stop it by its PID. A name may be shared with the service (pkill -f matches both); kill -1 or killall takes everything down.',
          '按 PID 停掉它。名字可能与服务相同（pkill -f 会同时匹配两者）；kill -1 或 killall 会把一切都停掉。',
        ),
        t(
          'A stopped process (kill -STOP) is paused, not gone. Send a signal that ends it.',
          '被暂停的进程（kill -STOP）只是暂停，并没有消失。发送一个能结束它的信号。',
        ),
        t(`In the monitor terminal: ${STOP_ODD}`, `在 monitor 终端中：${STOP_ODD}`),
      ],
      check: judgeStopped,
      solution: [{ terminal: 'monitor', input: STOP_ODD }],
      // Paused is not stopped for good.
      cheat: [{ terminal: 'monitor', input: `kill -STOP $(${FIND_ODD})` }],
    },
  ],
};
