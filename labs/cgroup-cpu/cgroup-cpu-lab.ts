// CPU control group lab: `--cpus 0.5` is a CFS quota (50 ms of CPU time per 100 ms period)
// and `--cpuset-cpus 0` an affinity mask. The learner finds how many CPUs the kernel lets
// the pinned container use (not what /proc/cpuinfo says), runs a busy loop until the kernel
// throttles the half container, and measures what the quota leaves of five seconds. The
// quota container is not pinned, so on a busy shared host it can still reach its half CPU.
// Checks read the quota, cpu.stat and the CPU usage counters from the host-side cgroup
// files, and the affinity from the host's /proc/<pid>/status.
import type { CheckOutcome, ContainerEvidence, LabDefinition } from '../../server/lab-kit.ts';
import { counter, flatKeyed, limitValue } from '../shared/cgroup-files.ts';

export const HALF_CPUS = 0.5;
export const FULL_CPUS = 1;
export const FULL_CPUSET = '0';
const PERIOD_US = 100_000;
const LOOP_SECONDS = 5;
/** CPU time the full container must have used before its loop counts as run. */
const FULL_LOOP_MIN_SECONDS = LOOP_SECONDS * 0.7;
/** How long the throttle check watches cpu.stat, and what it must see in that time. */
const SAMPLE_MS = 1500;
const MIN_LIVE_PERIODS = 8;
const MIN_THROTTLED_SHARE = 0.6;
/** Long enough to press Check while it runs; short enough to be over before the next exercise. */
const LIVE_LOOP_SECONDS = 20;

/** The busy loop every exercise uses: a shell spinning for `seconds` of wall time. */
export function busyLoop(seconds: number): string {
  return `timeout ${seconds} sh -c 'while :; do :; done'`;
}

/** CPUs in a kernel list such as "0", "0-3", "0,2-3". */
export function cpuListSize(list: string): number {
  let count = 0;
  for (const part of list.trim().split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (range?.[1] === undefined) return Number.NaN;
    count += range[2] === undefined ? 1 : Number(range[2]) - Number(range[1]) + 1;
  }
  return count;
}

/** Seconds a learner typed: "2.52", "2,52", "2.52s", or bash's `time` format "0m2.521s". */
export function parseSeconds(text: string): number | undefined {
  const match = /^(?:(\d+)\s*m\s*)?(\d+(?:[.,]\d+)?)\s*s?$/i.exec(text.trim());
  if (match?.[2] === undefined) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2].replace(',', '.'));
}

/** The CFS quota and period in microseconds (v1 cfs_quota_us/cfs_period_us, v2 cpu.max). */
async function quota(
  box: ContainerEvidence,
  cgroupVersion: 1 | 2,
): Promise<{ quotaUs: number | undefined; periodUs: number | undefined }> {
  if (cgroupVersion === 2) {
    const [q = '', p = ''] = (await box.cgroupFile('cpu', 'cpu.max')).trim().split(/\s+/);
    return { quotaUs: limitValue(q), periodUs: limitValue(p) };
  }
  return {
    quotaUs: limitValue(await box.cgroupFile('cpu', 'cpu.cfs_quota_us')),
    periodUs: limitValue(await box.cgroupFile('cpu', 'cpu.cfs_period_us')),
  };
}

/** CPU time the cgroup has used, in seconds (v1 cpuacct.usage in ns, v2 cpu.stat usage_usec). */
async function usageSeconds(box: ContainerEvidence, cgroupVersion: 1 | 2): Promise<number> {
  if (cgroupVersion === 2) return (await counter(box, 'cpu', 'cpu.stat', 'usage_usec')) / 1e6;
  return (limitValue(await box.cgroupFile('cpuacct', 'cpuacct.usage')) ?? 0) / 1e9;
}

/** The half container's quota as the kernel holds it, or a failed outcome explaining why not. */
async function halfQuotaProblem(
  box: ContainerEvidence,
  cgroupVersion: 1 | 2,
): Promise<CheckOutcome | undefined> {
  const nanoCpus = (await box.inspect()).HostConfig.NanoCpus ?? 0;
  const { quotaUs, periodUs } = await quota(box, cgroupVersion);
  if (nanoCpus !== HALF_CPUS * 1e9 || quotaUs !== HALF_CPUS * PERIOD_US || periodUs !== PERIOD_US) {
    return {
      passed: false,
      reason: `The half container's CPU quota is ${quotaUs ?? 'unlimited'} µs per ${periodUs ?? '?'} µs (NanoCpus = ${nanoCpus}), not the lab's ${HALF_CPUS * PERIOD_US} per ${PERIOD_US}; restart the lab.`,
      hint: 0,
    };
  }
  return undefined;
}

/** Two busy loops at once: together they want two CPUs, four times the half container's quota. */
export function twoBusyLoops(seconds: number): string {
  return `( ${busyLoop(seconds)} & ${busyLoop(seconds)}; wait )`;
}

const seconds = (s: number): string => `${s.toFixed(2)} s`;

export const cgroupCpuLab: LabDefinition = {
  id: 'cgroup-cpu',
  title: 'CPU cgroup: quotas, throttling and pinning',
  topic: 'control groups',
  summary:
    'One container may use half a CPU; the other a whole CPU, but only CPU 0. Find out what each may use, run the same busy loop in both, watch the kernel throttle the first, and measure what the quota leaves.',
  minutes: 12,
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
      title: 'full (--cpus 1 --cpuset-cpus 0)',
      hostname: 'nslab-cpu-full',
      cpus: FULL_CPUS,
      cpusetCpus: FULL_CPUSET,
      memoryMb: 64,
      pidsLimit: 64,
    },
  ],
  exercises: [
    {
      id: 'count-cpus',
      title: 'How many CPUs may it use?',
      goal: 'Report how many CPUs the kernel lets processes in the full container run on.',
      answer: { label: 'Number of CPUs', placeholder: 'a number' },
      hints: [
        "Some files describe the machine, others what the kernel allows this process. Which set of CPUs is the full container's shell allowed to run on?",
        "/proc/cpuinfo lists every CPU of the host: it is not namespaced. The scheduler's answer for your own process is its affinity (Cpus_allowed_list in /proc/self/status), which `nproc` reads.",
        'In the full terminal: nproc   or: grep Cpus_allowed_list /proc/self/status',
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const submitted = /^\d{1,4}$/.test((answer ?? '').trim()) ? Number(answer) : undefined;
        if (submitted === undefined)
          return { passed: false, reason: 'That is not a whole number of CPUs.', hint: 0 };
        const full = ctx.container('full');
        const info = await full.inspect();
        const processes = await full.processes();
        const allowed = processes.find((p) => p.status.Cpus_allowed_list !== undefined)?.status
          .Cpus_allowed_list;
        if (info.HostConfig.CpusetCpus !== FULL_CPUSET || allowed === undefined) {
          return {
            passed: false,
            reason: `The full container is not pinned to CPU ${FULL_CPUSET} as the lab expects; restart the lab.`,
            hint: 0,
          };
        }
        const count = cpuListSize(allowed);
        if (submitted === count) {
          return {
            passed: true,
            reason: `Right: ${count}. On the host, /proc/${processes[0]?.pid ?? '<pid>'}/status of the full container's processes says Cpus_allowed_list: ${allowed}, the cpuset Docker set for --cpuset-cpus ${FULL_CPUSET}. The machine has more CPUs; this container cannot use them, even when they are idle.`,
          };
        }
        if (submitted < 1)
          return { passed: false, reason: 'Every process runs on some CPU.', hint: 0 };
        return {
          passed: false,
          reason:
            submitted > count
              ? `${submitted} is how many CPUs the machine has, not how many this container may use.`
              : `Not ${submitted}.`,
          hint: submitted > count ? 1 : 2,
        };
      },
      solution: [{ terminal: 'full', input: 'nproc', capture: /^(\d+)$/m }],
      // /proc/cpuinfo counts the host's CPUs.
      cheat: [{ terminal: 'full', input: 'grep -c ^processor /proc/cpuinfo', capture: /^(\d+)$/m }],
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
      check: async (ctx): Promise<CheckOutcome> => {
        const half = ctx.container('half');
        const v = ctx.host.facts.cgroupVersion;
        const problem = await halfQuotaProblem(half, v);
        if (problem !== undefined) return problem;
        const before = flatKeyed(await half.cgroupFile('cpu', 'cpu.stat'));
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
        const after = flatKeyed(await half.cgroupFile('cpu', 'cpu.stat'));
        const ran = (after.get('nr_periods') ?? 0) - (before.get('nr_periods') ?? 0);
        const throttled = (after.get('nr_throttled') ?? 0) - (before.get('nr_throttled') ?? 0);
        const window = `${(SAMPLE_MS / 1000).toFixed(1)} s`;
        if (ran < MIN_LIVE_PERIODS || throttled < ran * MIN_THROTTLED_SHARE) {
          return {
            passed: false,
            reason: `In the ${window} after you pressed Check, the half container ran in ${ran} CFS periods and was throttled in ${throttled} (cpu.stat, read on the host): it was not wanting more than its quota then.`,
            hint: ran === 0 ? 0 : 1,
          };
        }
        return {
          passed: true,
          reason: `Caught in the act: in ${window} the half container ran in ${ran} periods and the kernel throttled it in ${throttled} of them (cpu.stat nr_throttled, read on the host), under a quota of ${HALF_CPUS * PERIOD_US} µs per ${PERIOD_US} µs: Docker's translation of --cpus ${HALF_CPUS}. In all, it has been throttled in ${after.get('nr_throttled') ?? 0} periods.`,
        };
      },
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
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const submitted = parseSeconds(answer ?? '');
        if (submitted === undefined)
          return { passed: false, reason: 'That is not a number of seconds.', hint: 0 };
        const v = ctx.host.facts.cgroupVersion;
        const half = ctx.container('half');
        const full = ctx.container('full');
        const problem = await halfQuotaProblem(half, v);
        if (problem !== undefined) return problem;
        const [halfUsed, fullUsed, throttled] = await Promise.all([
          usageSeconds(half, v),
          usageSeconds(full, v),
          counter(half, 'cpu', 'cpu.stat', 'nr_throttled'),
        ]);
        if (throttled === 0 || halfUsed < 0.5) {
          return {
            passed: false,
            reason: `The half container has used ${seconds(halfUsed)} of CPU in all and was never throttled: run the loop there first.`,
            hint: 2,
          };
        }
        // A real loop in full gets about LOOP_SECONDS of CPU. Ordinary commands get far less,
        // even under qemu's emulation, where `nproc` and a shell already cost over a second.
        if (fullUsed < FULL_LOOP_MIN_SECONDS) {
          return {
            passed: false,
            reason: `The full container has used only ${seconds(fullUsed)} of CPU in all, less than one ${LOOP_SECONDS}-second loop gets there: you have not run the loop there yet.`,
            hint: 3,
          };
        }
        const ceiling = HALF_CPUS * LOOP_SECONDS + 0.3;
        if (submitted >= LOOP_SECONDS - 0.5 && submitted <= LOOP_SECONDS + 1) {
          return {
            passed: false,
            reason: `${submitted} s is about as long as the loop ran on the clock. Under a quota of ${HALF_CPUS} CPU, the CPU time is less.`,
            hint: 1,
          };
        }
        if (submitted > ceiling || submitted < 0.5) {
          return {
            passed: false,
            reason: `${submitted} s cannot be the CPU time of a ${LOOP_SECONDS} s loop under --cpus ${HALF_CPUS}: the quota allows at most about ${seconds(HALF_CPUS * LOOP_SECONDS)}.`,
            hint: 0,
          };
        }
        if (submitted > halfUsed + 0.1) {
          return {
            passed: false,
            reason: `The half container's cgroup has accounted only ${seconds(halfUsed)} of CPU time since it started, less than ${submitted} s.`,
            hint: 2,
          };
        }
        const share =
          submitted >= HALF_CPUS * LOOP_SECONDS * 0.8
            ? `${HALF_CPUS} CPU's worth, as the quota allows`
            : `less than the ${seconds(HALF_CPUS * LOOP_SECONDS)} the quota allows, because other work on this machine competed for the CPUs`;
        return {
          passed: true,
          reason: `Right: about ${seconds(submitted)} of CPU in ${LOOP_SECONDS} s of wall time, ${share}. The host-side counters agree: the half container's cgroup has used ${seconds(halfUsed)} in all and was throttled in ${throttled} periods; the full container's has used ${seconds(fullUsed)}.`,
        };
      },
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
      // The number the lesson predicts, without running anything.
      cheat: [{ terminal: 'half', input: 'echo 2.5', capture: /^([\d.]+)$/m }],
    },
  ],
};
