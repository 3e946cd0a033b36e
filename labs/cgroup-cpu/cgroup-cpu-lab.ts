// CPU control group lab: `--cpus 0.5` is a CFS quota (50 ms of CPU time per 100 ms period)
// and `--cpuset-cpus <n>` an affinity mask, here to one CPU chosen per session. The learner
// finds which CPU the kernel lets the pinned container use (not what /proc/cpuinfo says),
// runs a busy loop until the kernel throttles the half container, and measures what the
// quota leaves of five seconds. The quota container is not pinned, so on a busy shared host
// it can still reach its half CPU. Checks (cpu-checks.ts) read the quota, cpu.stat and the
// CPU usage counters from the host-side cgroup files, and the affinity from the host's
// /proc/<pid>/status.
import type { LabDefinition } from '../../server/lab-kit.ts';
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
  title: 'CPU cgroup: quotas, throttling and pinning',
  topic: 'control groups',
  summary:
    'One container may use half a CPU; the other a whole CPU, but only one CPU of the machine. Find out what each may use, run the same busy loop in both, watch the kernel throttle the first, and measure what the quota leaves.',
  minutes: 12,
  learned: [
    '--cpus is a quota per period: the kernel throttles a container that wants more and counts the throttling.',
    '--cpuset-cpus pins a container to given CPUs, a different limit from the quota.',
  ],
  lesson: 'cgroup-cpu.md',
  containers: [
    {
      name: 'half',
      title: 'half (--cpus 0.5)',
      hostname: 'nslab-cpu-half',
      cpus: HALF_CPUS,
      memoryMb: 64,
      pidsLimit: 64,
    },
    {
      name: 'full',
      title: 'full (--cpus 1, pinned to one CPU)',
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
      title: 'Which CPU may it use?',
      goal: 'Report which CPU the kernel lets processes in the full container run on (the kernel numbers CPUs from 0).',
      answer: { label: 'CPU', placeholder: 'a CPU number' },
      hints: [
        "Some files describe the machine, others what the kernel allows this process. Which CPUs is the full container's shell allowed to run on?",
        "/proc/cpuinfo lists every CPU of the host: it is not namespaced, and neither is the half container's affinity. The scheduler's answer for your own process is its affinity, Cpus_allowed_list in /proc/self/status (`nproc` counts it, `taskset -pc $$` prints it).",
        `In the full terminal: ${READ_AFFINITY}`,
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
      title: 'Get throttled, live',
      goal: 'Keep the half container wanting more CPU than its quota, and press Check while it does: the kernel must be throttling it right then.',
      momentary: true,
      hints: [
        'A quota is CPU time per period (here 50 ms in every 100 ms). The kernel only holds back a cgroup that wants more than that. What keeps a CPU busy all the time?',
        '`sleep` waits without using the CPU, and printing "nr_throttled" proves nothing: the server watches cpu.stat for a moment when you press Check, and the kernel must be throttling the container in most of those periods.',
        `In the half terminal, a loop that runs in the background for ${LIVE_LOOP_SECONDS} s: ${twoBusyLoops(LIVE_LOOP_SECONDS)} &   then press Check while it runs.`,
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
      title: 'Measure what the quota leaves',
      goal: `Run the same ${LOOP_SECONDS}-second busy loop under \`time\` in both containers, and report how many seconds of CPU time (user + sys) the loop in the half container got.`,
      answer: { label: 'CPU seconds in half', placeholder: '0.00' },
      hints: [
        '`time` prints three numbers: real is the wall-clock time, user and sys are the CPU time the processes got. The quota limits the second kind.',
        'That is the wall-clock time (real). What matters is the CPU time: user + sys.',
        `In the full terminal, then in the half terminal: time ${busyLoop(LOOP_SECONDS)}   then compare the "user" lines.`,
        `Run the loop in the full container as well (time ${busyLoop(LOOP_SECONDS)}), so you have something to compare with.`,
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
