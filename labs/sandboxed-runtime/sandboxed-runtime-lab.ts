// Sandboxed runtimes (recommendations 11 and 16; the essay's "containers versus VMs is a false
// dichotomy"): two containers from the same image with the same hardened flags, one under runc,
// one under gVisor's runsc. The same probes give two kernels' answers. Under runc a process in
// the container is a host process and each system call reaches the host kernel, so a kernel
// bug is an escape; under gVisor the Sentry answers them in user space and the host kernel
// runs only the sandbox's few processes. Both checks read the host: its /proc, the
// container's cgroup, and the Sentry's own task list through `runsc ps` run by the server.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { HARDENED } from '../shared/hardened-profile.ts';
import { t } from '../shared/localized.ts';
import { MARKER_FILE, MARKER_FILES, START_MARKED, type Marked } from './markers.ts';
import { checkRuncProcess, checkSandboxProcess } from './sandbox-checks.ts';

/** Docker's hardened flags for both (labs/shared/hardened-profile.ts), and no network. */
function hardened(name: Marked): Omit<ContainerProfile, 'title'> {
  return {
    name,
    hostname: name,
    ...HARDENED,
    networkMode: 'none',
    sessionDirMounts: [{ source: name, target: '/nslab', readOnly: true }],
    memoryMb: 192,
    // gVisor's threads count against the pids cgroup: measured, a shell and three sleeps
    // under runsc used 105 (runc: 5), so 128 would leave the learner little room.
    pidsLimit: 512,
    cpus: 0.5,
  };
}

const CAT_MARKER = `cat ${MARKER_FILE}`;

export const sandboxedRuntimeLab: LabDefinition = {
  id: 'sandboxed-runtime',
  title: t(
    'gVisor: a kernel between the container and the host',
    'gVisor：容器与宿主机之间的一个内核',
  ),
  topic: 'sandboxing',
  summary: t(
    'Run the same probes under runc and under gVisor, then find your own process from the host: a host process under runc, only a name in the sandbox kernel under gVisor.',
    '在 runc 和 gVisor 下运行同样的探测，再从宿主机找到你自己的进程：在 runc 下它是宿主机的进程，在 gVisor 下它只存在于沙箱内核之中。',
  ),
  minutes: 12,
  learned: [
    t(
      'Under runc a container process is a host process: every system call reaches the shared host kernel, so a kernel bug is an escape.',
      '在 runc 下，容器进程就是宿主机进程：每个系统调用都到达共享的宿主机内核，所以一个内核漏洞就是一次逃逸。',
    ),
    t(
      "Under gVisor the Sentry answers the container's system calls in user space; the host kernel runs only a few sandbox processes behind a tight seccomp filter.",
      '在 gVisor 下，Sentry 在用户态回答容器的系统调用；宿主机内核只运行沙箱的少数几个进程，并用严格的 seccomp 过滤器约束它们。',
    ),
    t(
      'Keep the host kernel up to date, and where kernel bugs matter put a second kernel in between: a sandboxed runtime or a VM.',
      '让宿主机内核保持最新；在内核漏洞关乎成败的地方，在中间再放一个内核：沙箱运行时或虚拟机。',
    ),
  ],
  lesson: 'sandboxed-runtime.md',
  unavailable: (facts) =>
    facts.runsc === undefined
      ? t(
          "This engine has no runtime named runsc (docker info lists its runtimes). Set-up registers Debian's gVisor package where the distribution has one: bash server/setup/up.sh.",
          '这个引擎没有名为 runsc 的运行时（docker info 会列出它的运行时）。在发行版提供 gVisor 软件包的地方，安装脚本会注册它：bash server/setup/up.sh。',
        )
      : undefined,
  hostFiles: MARKER_FILES,
  containers: [
    { ...hardened('runc'), title: t('runc (the default runtime)', 'runc（默认运行时）') },
    {
      ...hardened('gvisor'),
      title: t('gvisor (--runtime=runsc)', 'gvisor（--runtime=runsc）'),
      runtime: 'runsc',
    },
  ],
  sideBySide: ['runc', 'gvisor'],
  exercises: [
    {
      id: 'host-process',
      title: t('A host process', '一个宿主机进程'),
      goal: t(
        'In the runc container, start a process named after your marker (in /nslab/marker) and leave it running.',
        '在 runc 容器中，启动一个以你的标记（在 /nslab/marker 中）命名的进程，并让它一直运行。',
      ),
      hints: [
        t(
          "A process's name is the name of the file it was started from: a symbolic link with another name will do.",
          '进程的名字就是启动它的那个文件的名字：换个名字的符号链接就可以。',
        ),
        t(
          'The root file system is read-only, /tmp is not; the process must outlive your command, so put it in the background.',
          '根文件系统是只读的，/tmp 不是；这个进程要比你的命令活得更久，所以把它放到后台。',
        ),
        t(`In the runc terminal: ${START_MARKED}`, `在 runc 终端中：${START_MARKED}`),
      ],
      check: (ctx) => checkRuncProcess(ctx),
      solution: [{ terminal: 'runc', input: START_MARKED }],
      // The marker written down is no process. (A process in the gvisor container is not
      // runc's either: test/docker/sandboxed-runtime-lab.test.ts starts one there.)
      cheat: [{ terminal: 'runc', input: `${CAT_MARKER} > /tmp/proof; cat /tmp/proof` }],
    },
    {
      id: 'sandbox-process',
      title: t('A process the host does not run', '一个宿主机不运行的进程'),
      goal: t(
        'In the gvisor container, start a process named after that container’s marker and leave it running: gVisor’s kernel must run it, and the host kernel must not.',
        '在 gvisor 容器中，启动一个以该容器的标记命名的进程，并让它一直运行：运行它的必须是 gVisor 的内核，而不是宿主机内核。',
      ),
      hints: [
        t(
          'Same as in the runc container, in the other terminal: each container has its own marker in /nslab/marker.',
          '和在 runc 容器中一样，只是换到另一个终端：每个容器在 /nslab/marker 中都有自己的标记。',
        ),
        t(
          'The check asks gVisor’s kernel from the host (runsc ps) and the host’s /proc: a process named after the gvisor marker must be in the first and not in the second.',
          '检查会从宿主机询问 gVisor 的内核（runsc ps），并查看宿主机的 /proc：以 gvisor 标记命名的进程必须出现在前者之中，而不能出现在后者之中。',
        ),
        t(`In the gvisor terminal: ${START_MARKED}`, `在 gvisor 终端中：${START_MARKED}`),
      ],
      check: (ctx) => checkSandboxProcess(ctx),
      solution: [{ terminal: 'gvisor', input: START_MARKED }],
      cheat: [
        // A host process of the runc container does not count, whatever it is called.
        { terminal: 'runc', input: START_MARKED },
        { terminal: 'gvisor', input: `${CAT_MARKER} > /tmp/proof; cat /tmp/proof` },
      ],
    },
  ],
};
