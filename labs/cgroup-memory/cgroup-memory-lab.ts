// Memory control group lab: `--memory <n>m` puts the container in a memory cgroup whose limit
// the kernel enforces with the OOM killer; each session gets a limit of its own (32 to 62 MiB),
// so the number a learner reports is theirs, not a neighbour's. The learner finds the limit
// where the kernel keeps it (not in `free`, which shows the host), then makes the kernel kill a
// process for exceeding it. Checks (memory-checks.ts) read the limit and the OOM counters from
// the host-side cgroup files.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { LIMITED, judgeLimit, judgeOomKill } from './memory-checks.ts';

export { MEMORY_CHOICES_MB, parseBytes, sessionLimitBytes } from './memory-checks.ts';

export const cgroupMemoryLab: LabDefinition = {
  id: 'cgroup-memory',
  title: t('Memory cgroup: the limit and the OOM killer', '内存控制组：限制与 OOM killer'),
  topic: 'control groups',
  summary: t(
    'Your container gets a memory limit of its own. Find where the kernel keeps that limit, then exceed it and watch the kernel kill a process, from the host side.',
    '你的容器有一个属于自己的内存限制。找出内核把这个限制存放在哪里，然后超出它，并从宿主机一侧看着内核杀掉一个进程。',
  ),
  minutes: 10,
  learned: [
    t(
      "/proc/meminfo shows the host's memory; the container's limit lives in its memory cgroup.",
      '/proc/meminfo 显示的是宿主机的内存；容器的限制存放在它的内存控制组里。',
    ),
    t(
      "Past the limit the kernel's OOM killer kills a process in the cgroup, and the host records it.",
      '超出限制后，内核的 OOM killer 会杀掉该控制组中的一个进程，宿主机会记下这件事。',
    ),
  ],
  lesson: 'cgroup-memory.md',
  containers: [LIMITED],
  exercises: [
    {
      id: 'find-limit',
      title: t('Find the limit the kernel enforces', '找到内核执行的限制'),
      goal: t(
        "Report, in bytes, the memory limit the kernel enforces on the limited container's processes.",
        '以字节为单位，报告内核对 limited 容器中各进程执行的内存限制。',
      ),
      answer: {
        label: t('Limit in bytes', '限制（字节）'),
        placeholder: t('123456789', '123456789'),
      },
      hints: [
        t(
          "A container's limits live in its control groups (控制组). The kernel shows each cgroup as a directory of files under /sys/fs/cgroup.",
          '容器的限制存放在它的控制组（control group）里。内核把每个控制组呈现为 /sys/fs/cgroup 下的一个目录，里面是一些文件。',
        ),
        t(
          '`free` and /proc/meminfo describe the whole machine: they are not namespaced and know nothing of your limit. Ask the memory cgroup instead.',
          '`free` 和 /proc/meminfo 描述的是整台机器：它们没有命名空间隔离，对你的限制一无所知。去问内存控制组。',
        ),
        t(
          'cgroup v1: cat /sys/fs/cgroup/memory/memory.limit_in_bytes   cgroup v2: cat /sys/fs/cgroup/memory.max',
          'cgroup v1：cat /sys/fs/cgroup/memory/memory.limit_in_bytes   cgroup v2：cat /sys/fs/cgroup/memory.max',
        ),
      ],
      check: judgeLimit,
      solution: [
        {
          terminal: 'limited',
          input:
            'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
          capture: /^(\d+)$/m,
        },
      ],
      // `free` answers with the host's memory: the right kind of number from the wrong place.
      cheat: [
        {
          terminal: 'limited',
          input: "free -b | awk '/^Mem/ {print $2}'",
          capture: /^(\d+)$/m,
        },
      ],
    },
    {
      id: 'oom-kill',
      title: t('Make the kernel kill for memory', '让内核因内存而杀进程'),
      goal: t(
        'Make the kernel kill a process in the limited container for exceeding its memory limit.',
        '让内核因超出内存限制而杀掉 limited 容器中的一个进程。',
      ),
      hints: [
        t(
          'When a cgroup reaches its limit and nothing can be reclaimed, the kernel runs the OOM killer inside that cgroup. What could you run that keeps asking for more memory?',
          '当控制组达到限制、又没有可回收的内存时，内核会在该控制组内运行 OOM killer。你可以运行什么程序，让它不停地要更多内存？',
        ),
        t(
          'A process ended by `kill -9` also exits with 137, `echo Killed` only prints a word, and `ulimit -v` makes malloc fail before the cgroup is full: none of these is the memory cgroup at work. Keep allocating until the limit is reached.',
          '被 `kill -9` 结束的进程同样以 137 退出，`echo Killed` 只是打印一个词，`ulimit -v` 则让 malloc 在控制组装满之前就失败：这些都不是内存控制组在起作用。要一直分配，直到达到限制。',
        ),
        t(
          'In the limited terminal: tail /dev/zero   (tail keeps the last "line" in memory, and /dev/zero never sends a newline). Or: python3 -c "b = bytearray(128 * 1024 * 1024)"',
          '在 limited 终端中：tail /dev/zero   （tail 会把最后一“行”留在内存里，而 /dev/zero 永远不会送出换行符）。或者：python3 -c "b = bytearray(128 * 1024 * 1024)"',
        ),
      ],
      check: judgeOomKill,
      solution: [{ terminal: 'limited', input: 'tail /dev/zero; echo "tail exited with $?"' }],
      cheat: [
        { terminal: 'limited', input: 'echo Killed' },
        // Exit status 137 without the memory cgroup: a plain SIGKILL.
        { terminal: 'limited', input: 'sleep 60 & kill -9 $!; wait $!; echo "exit $?"' },
        // An allocation that fails in the process (address-space rlimit), not in the cgroup.
        { terminal: 'limited', input: '(ulimit -v 20000; tail /dev/zero); echo "exit $?"' },
        // A forged counter on the container's side (/sys/fs/cgroup is a writable tmpfs on v1).
        { terminal: 'limited', input: "echo 'oom_kill 1' > /sys/fs/cgroup/memory.events" },
      ],
    },
  ],
};
