// CPU control group lab: `--cpus 0.5` is a CFS quota (50 ms of CPU time per 100 ms period)
// and `--cpuset-cpus <n>` an affinity mask, here to one CPU chosen per session. The learner
// finds which CPU the kernel lets the pinned container use (not what /proc/cpuinfo says),
// runs a busy loop until the kernel throttles the half container, and measures what the
// quota leaves of five seconds. The quota container is not pinned, so on a busy shared host
// it can still reach its half CPU. Checks (cpu-checks.ts) read the quota, cpu.stat and the
// CPU usage counters from the host-side cgroup files, and the affinity from the host's
// /proc/<pid>/status.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { judgeCpuSeconds, judgeCpus, judgeThrottle } from './cpu-checks.ts';
import {
  FULL_CPUS,
  HALF_CPUS,
  LIVE_LOOP_SECONDS,
  LOOP_SECONDS,
  busyLoop,
  twoBusyLoops,
} from './cpu-evidence.ts';

export {
  FULL_CPUS,
  HALF_CPUS,
  busyLoop,
  cpuListSize,
  parseCpus,
  parseSeconds,
  twoBusyLoops,
} from './cpu-evidence.ts';

const READ_AFFINITY = 'grep Cpus_allowed_list /proc/self/status';

export const cgroupCpuLab: LabDefinition = {
  id: 'cgroup-cpu',
  title: t('CPU cgroup: quotas, throttling and pinning', 'CPU 控制组：配额、限流与绑定'),
  topic: 'control groups',
  summary: t(
    'One container may use half a CPU; the other a whole CPU, but only one CPU of the machine. Find out what each may use, run the same busy loop in both, watch the kernel throttle the first, and measure what the quota leaves.',
    '一个容器最多可以用半个 CPU；另一个可以用一整个 CPU，但只能用机器上的某一个 CPU。弄清每个容器能用多少，在两边运行同一个忙循环，看着内核对前一个限流，并测量配额留下了多少。',
  ),
  minutes: 12,
  learned: [
    t(
      '--cpus is a quota per period: the kernel throttles a container that wants more and counts the throttling.',
      '--cpus 是每个周期的配额：容器想要更多时，内核会对它限流，并记下限流的次数。',
    ),
    t(
      '--cpuset-cpus pins a container to given CPUs, a different limit from the quota.',
      '--cpuset-cpus 把容器绑定到指定的 CPU 上，这是与配额不同的另一种限制。',
    ),
  ],
  lesson: 'cgroup-cpu.md',
  containers: [
    {
      name: 'half',
      title: t('half (--cpus 0.5)', 'half（--cpus 0.5）'),
      hostname: 'nslab-cpu-half',
      cpus: HALF_CPUS,
      memoryMb: 64,
      pidsLimit: 64,
    },
    {
      name: 'full',
      title: t('full (--cpus 1, pinned to one CPU)', 'full（--cpus 1，绑定到一个 CPU）'),
      hostname: 'nslab-cpu-full',
      cpus: FULL_CPUS,
      // Which CPU differs between sessions: the answer is this learner's own.
      perSession: { oneCpu: true },
      memoryMb: 64,
      pidsLimit: 64,
    },
  ],
  exercises: [
    {
      id: 'count-cpus',
      title: t('Which CPU may it use?', '它可以用哪一个 CPU？'),
      goal: t(
        'Report which CPU the kernel lets processes in the full container run on (the kernel numbers CPUs from 0).',
        '报告内核允许 full 容器中的进程在哪一个 CPU 上运行（内核从 0 开始给 CPU 编号）。',
      ),
      answer: { label: t('CPU', 'CPU'), placeholder: t('a CPU number', 'CPU 编号') },
      hints: [
        t(
          "Some files describe the machine, others what the kernel allows this process. Which CPUs is the full container's shell allowed to run on?",
          '有些文件描述的是整台机器，另一些描述的是内核允许这个进程做什么。full 容器里的 shell 被允许在哪些 CPU 上运行？',
        ),
        t(
          "/proc/cpuinfo lists every CPU of the host: it is not namespaced, and neither is the half container's affinity. The scheduler's answer for your own process is its affinity, Cpus_allowed_list in /proc/self/status (`nproc` counts it, `taskset -pc $$` prints it).",
          '/proc/cpuinfo 列出的是宿主机的每一个 CPU：它没有命名空间隔离，half 容器的亲和性也不是答案。调度器对你自己进程的回答是它的亲和性，即 /proc/self/status 中的 Cpus_allowed_list（`nproc` 数的就是它，`taskset -pc $$` 会把它打印出来）。',
        ),
        t(`In the full terminal: ${READ_AFFINITY}`, `在 full 终端中：${READ_AFFINITY}`),
      ],
      check: judgeCpus,
      solution: [
        { terminal: 'full', input: READ_AFFINITY, capture: /^Cpus_allowed_list:\s*(\S+)$/m },
      ],
      // The right file in the wrong container: half is not pinned, so it may use every CPU.
      cheat: [{ terminal: 'half', input: READ_AFFINITY, capture: /^Cpus_allowed_list:\s*(\S+)$/m }],
    },
    {
      id: 'throttle-half',
      title: t('Get throttled, live', '现场被限流'),
      goal: t(
        'Keep the half container wanting more CPU than its quota, and press Check while it does: the kernel must be throttling it right then.',
        '让 half 容器持续想要比配额更多的 CPU，并在此期间按下 Check：内核必须恰在那时对它限流。',
      ),
      momentary: true,
      hints: [
        t(
          'A quota is CPU time per period (here 50 ms in every 100 ms). The kernel only holds back a cgroup that wants more than that. What keeps a CPU busy all the time?',
          '配额是每个周期内的 CPU 时间（这里是每 100 ms 中的 50 ms）。内核只会拦住想要更多的控制组。什么东西能让一个 CPU 一直忙着？',
        ),
        t(
          '`sleep` waits without using the CPU, and printing "nr_throttled" proves nothing: the server watches cpu.stat for a moment when you press Check, and the kernel must be throttling the container in most of those periods.',
          '`sleep` 在等待时不占用 CPU，打印 "nr_throttled" 也证明不了什么：你按下 Check 时，服务器会观察 cpu.stat 一小会儿，而内核必须在其中大部分周期里对容器限流。',
        ),
        t(
          `In the half terminal, a loop that runs in the background for ${LIVE_LOOP_SECONDS} s: ${twoBusyLoops(LIVE_LOOP_SECONDS)} &   then press Check while it runs.`,
          `在 half 终端中运行一个在后台持续 ${LIVE_LOOP_SECONDS} s 的循环：${twoBusyLoops(LIVE_LOOP_SECONDS)} &   然后趁它运行时按下 Check。`,
        ),
      ],
      // Live, not cumulative: a count since the container started cannot tell a busy loop from
      // ordinary commands on a slow machine (under qemu's emulation, each `docker exec` alone
      // uses up a period's quota), but a moment of steady throttling can.
      check: judgeThrottle,
      solution: [{ terminal: 'half', input: `${twoBusyLoops(LIVE_LOOP_SECONDS)} &` }],
      cheat: [
        { terminal: 'half', input: 'sleep 3' },
        { terminal: 'half', input: 'echo nr_throttled 30' },
        // A loop that ended before Check: it was throttled, but not now.
        { terminal: 'half', input: twoBusyLoops(2) },
      ],
    },
    {
      id: 'cpu-seconds',
      title: t('Measure what the quota leaves', '测量配额留下了多少'),
      goal: t(
        `Run the same ${LOOP_SECONDS}-second busy loop under \`time\` in both containers, and report how many seconds of CPU time (user + sys) the loop in the half container got.`,
        `在两个容器中用 \`time\` 运行同样的 ${LOOP_SECONDS} 秒忙循环，并报告 half 容器中的循环得到了多少秒 CPU 时间（user + sys）。`,
      ),
      answer: {
        label: t('CPU seconds in half', 'half 中的 CPU 秒数'),
        placeholder: t('0.00', '0.00'),
      },
      hints: [
        t(
          '`time` prints three numbers: real is the wall-clock time, user and sys are the CPU time the processes got. The quota limits the second kind.',
          '`time` 会打印三个数字：real 是挂钟时间，user 和 sys 是进程得到的 CPU 时间。配额限制的是后一种。',
        ),
        t(
          'That is the wall-clock time (real). What matters is the CPU time: user + sys.',
          '那是挂钟时间（real）。要看的是 CPU 时间：user + sys。',
        ),
        t(
          `In the full terminal, then in the half terminal: time ${busyLoop(LOOP_SECONDS)}   then compare the "user" lines.`,
          `先在 full 终端、再在 half 终端中运行：time ${busyLoop(LOOP_SECONDS)}   然后比较两边的 "user" 行。`,
        ),
        t(
          `Run the loop in the full container as well (time ${busyLoop(LOOP_SECONDS)}), so you have something to compare with.`,
          `也在 full 容器中运行这个循环（time ${busyLoop(LOOP_SECONDS)}），这样你才有可比较的对象。`,
        ),
      ],
      check: judgeCpuSeconds,
      solution: [
        // The previous exercise's background loop must be over, or it shares the quota.
        { terminal: 'half', input: 'wait' },
        { terminal: 'full', input: `time ${busyLoop(LOOP_SECONDS)}` },
        {
          terminal: 'half',
          input: `time ${busyLoop(LOOP_SECONDS)}`,
          capture: /^user\s+(\d+m[\d.]+s)$/m,
        },
      ],
      // The number the lesson predicts, without running anything; then the half loop's time
      // on the clock (real), not its CPU time.
      cheat: [
        { terminal: 'half', input: 'echo 2.5', capture: /^([\d.]+)$/m },
        {
          terminal: 'half',
          input: `time ${busyLoop(LOOP_SECONDS)}`,
          capture: /^real\s+(\d+m[\d.]+s)$/m,
        },
      ],
    },
  ],
};
