// The CPU lab's checks. Each reads the host's side: the full container's affinity in the
// host's /proc, the half container's quota, cpu.stat and usage counters in its cgroup. Wrong
// numbers get the same words whatever they are, except the one well-known wrong source each
// exercise has (the machine's CPUs, the wall clock), so a reply never says "higher" or "lower".
import os from 'node:os';
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { counter, flatKeyed } from '../shared/cgroup-files.ts';
import { t, type Localized } from '../shared/localized.ts';
import {
  FULL_LOOP_MIN_SECONDS,
  HALF_CPUS,
  LOOP_SECONDS,
  MIN_LIVE_PERIODS,
  MIN_THROTTLED_SHARE,
  PERIOD_US,
  SAMPLE_MS,
  halfQuotaProblem,
  parseCpus,
  parseSeconds,
  sameCpus,
  usageSeconds,
} from './cpu-evidence.ts';

const seconds = (s: number): string => `${s.toFixed(2)} s`;

/** The CPU time a LOOP_SECONDS loop can get under the quota: the quota's share of the wall clock. */
const ALLOWANCE = HALF_CPUS * LOOP_SECONDS;
/**
 * What `time` may report above the allowance: the loop starts part-way into a period whose
 * quota is still unused (at most one period's quota), plus timeout's and sh's own start.
 */
const ABOVE_ALLOWANCE = (HALF_CPUS * PERIOD_US) / 1e6 + 0.1;
/**
 * Below it only because other work on the machine took the CPUs. The check cannot see the
 * loop itself afterwards, only the machine's load now (the run queue over the last minute):
 * on a machine with CPUs to spare the loop got most of its allowance, on a busy one a share
 * of it as small as the machine's CPUs are to its load.
 */
const FLOOR_SHARE = 0.6;

/** The share of a CPU a runnable process gets on this machine now, from its load and CPUs. */
export function machineShare(): number {
  const load = os.loadavg()[0] ?? 0;
  return Math.min(1, os.availableParallelism() / Math.max(load, 0.01));
}

/** Said when the machine is busy: a loop gets less than the quota, and nothing is held back. */
function busyNote(): Localized {
  if (machineShare() >= 1) return t('', '');
  const load = (os.loadavg()[0] ?? 0).toFixed(1);
  const cpus = os.availableParallelism();
  return t(
    ` This machine is busy (a run queue of ${load} on ${cpus} CPUs), so your loops may get less than the quota: start more of them, or try again when it is quieter.`,
    `这台机器很忙（${cpus} 个 CPU 上的运行队列长度为 ${load}），所以你的循环得到的可能比配额少：多启动几个，或者等机器空闲些再试。`,
  );
}

/** "Which CPU may it use?": the full container's affinity, which the plan chose for this session. */
export async function judgeCpus(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = parseCpus(answer ?? '');
  if (submitted === undefined)
    return {
      passed: false,
      reason: t(
        'Name CPUs as the kernel does: 0, 1, or 0-3.',
        '请按内核的写法给出 CPU：0、1 或 0-3。',
      ),
      hint: 0,
    };
  const [full, half] = [ctx.container('full'), ctx.container('half')];
  const info = await full.inspect();
  const processes = await full.processes();
  const allowedOf = (list: { status: Record<string, string> }[]): string | undefined =>
    list.find((p) => p.status.Cpus_allowed_list !== undefined)?.status.Cpus_allowed_list;
  const allowed = allowedOf(processes);
  const pinned = parseCpus(info.HostConfig.CpusetCpus ?? '');
  const truth = parseCpus(allowed ?? '');
  if (allowed === undefined || truth?.length !== 1 || pinned === undefined) {
    return {
      passed: false,
      reason: t(
        'The full container is not pinned to one CPU as the lab expects; restart the lab.',
        'full 容器没有像本实验预期的那样绑定到一个 CPU 上；请重启实验。',
      ),
      hint: 0,
    };
  }
  const [pid, cpuset] = [processes[0]?.pid ?? '<pid>', info.HostConfig.CpusetCpus ?? ''];
  const machine = parseCpus(allowedOf(await half.processes()) ?? '');
  return judgeAnswer({
    right: sameCpus(submitted, truth) && sameCpus(truth, pinned),
    pass: t(
      `Right: CPU ${allowed}. On the host, /proc/${pid}/status of the full container's processes says Cpus_allowed_list: ${allowed}, the cpuset Docker set for --cpuset-cpus ${cpuset}. The machine has more CPUs; this container cannot use them, even when they are idle.`,
      `正确：CPU ${allowed}。在宿主机上，full 容器进程的 /proc/${pid}/status 显示 Cpus_allowed_list: ${allowed}，这正是 Docker 为 --cpuset-cpus ${cpuset} 设置的 cpuset。机器上还有更多 CPU；这个容器用不了它们，即使它们空闲着。`,
    ),
    known: [
      {
        when: machine !== undefined && machine.length > 1 && sameCpus(submitted, machine),
        reason: t(
          `${answer?.trim() ?? ''} is every CPU of the machine, which the unpinned half container may use: not the full container's.`,
          `${answer?.trim() ?? ''} 是机器的全部 CPU，是未绑定的 half 容器可以使用的：不是 full 容器的。`,
        ),
        hint: 1,
      },
    ],
    otherwise: {
      reason: t('The full container may not run on that.', 'full 容器不能在那上面运行。'),
      hint: 2,
    },
  });
}

/** "Get throttled, live": cpu.stat, read twice on the host, must show throttling right now. */
export async function judgeThrottle(ctx: CheckContext): Promise<CheckOutcome> {
  const half = ctx.container('half');
  const problem = await halfQuotaProblem(half, ctx.host.facts.cgroupVersion);
  if (problem !== undefined) return problem;
  const before = flatKeyed(await half.cgroupFile('cpu', 'cpu.stat'));
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  const after = flatKeyed(await half.cgroupFile('cpu', 'cpu.stat'));
  const ran = (after.get('nr_periods') ?? 0) - (before.get('nr_periods') ?? 0);
  const throttled = (after.get('nr_throttled') ?? 0) - (before.get('nr_throttled') ?? 0);
  const window = `${(SAMPLE_MS / 1000).toFixed(1)} s`;
  // On a busy machine the loops get less of a CPU, so they run out of quota less often.
  const needed = Math.max(1, ran * MIN_THROTTLED_SHARE * machineShare());
  if (ran < MIN_LIVE_PERIODS || throttled < needed) {
    const note = busyNote();
    return {
      passed: false,
      reason: t(
        `In the ${window} after you pressed Check, the half container ran in ${ran} CFS periods and was throttled in ${throttled} (cpu.stat, read on the host): it was not using up its quota then.${note.en}`,
        `你按下 Check 之后的 ${window} 内，half 容器在 ${ran} 个 CFS 周期中运行过，其中 ${throttled} 个被限流（cpu.stat，在宿主机上读取）：那段时间它并没有用完配额。${note.zh}`,
      ),
      hint: ran === 0 ? 0 : 1,
    };
  }
  return {
    passed: true,
    reason: t(
      `Caught in the act: in ${window} the half container ran in ${ran} periods and the kernel throttled it in ${throttled} of them (cpu.stat nr_throttled, read on the host), under a quota of ${HALF_CPUS * PERIOD_US} µs per ${PERIOD_US} µs: Docker's translation of --cpus ${HALF_CPUS}. In all, it has been throttled in ${after.get('nr_throttled') ?? 0} periods.`,
      `当场抓到：${window} 内，half 容器在 ${ran} 个周期中运行过，内核对其中 ${throttled} 个限流（cpu.stat nr_throttled，在宿主机上读取），配额是每 ${PERIOD_US} µs ${HALF_CPUS * PERIOD_US} µs：这就是 Docker 对 --cpus ${HALF_CPUS} 的翻译。累计下来，它已在 ${after.get('nr_throttled') ?? 0} 个周期中被限流。`,
    ),
  };
}

/**
 * "Measure what the quota leaves": the loops must have run (host-side usage in both cgroups,
 * throttling in half), and the number must be what a LOOP_SECONDS loop gets under the quota:
 * no more than the quota's share of the clock (and than the half cgroup has used in all), and
 * no less than most of it, or the share a busy machine leaves.
 */
export async function judgeCpuSeconds(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = parseSeconds(answer ?? '');
  if (submitted === undefined)
    return {
      passed: false,
      reason: t('That is not a number of seconds.', '这不是一个秒数。'),
      hint: 0,
    };
  const v = ctx.host.facts.cgroupVersion;
  const [half, full] = [ctx.container('half'), ctx.container('full')];
  const problem = await halfQuotaProblem(half, v);
  if (problem !== undefined) return problem;
  const [halfUsed, fullUsed, throttled] = await Promise.all([
    usageSeconds(half, v),
    usageSeconds(full, v),
    counter(half, 'cpu', 'cpu.stat', 'nr_throttled'),
  ]);
  const floor = ALLOWANCE * FLOOR_SHARE * machineShare();
  if (throttled === 0 || halfUsed < floor) {
    return {
      passed: false,
      reason: t(
        `The half container's cgroup has not been throttled, or has used too little CPU for a ${LOOP_SECONDS}-second loop: run the loop there first.`,
        `half 容器的控制组还没有被限流过，或者用掉的 CPU 太少，不像跑过一个 ${LOOP_SECONDS} 秒的循环：先在那里运行这个循环。`,
      ),
      hint: 2,
    };
  }
  // A real loop in full gets about LOOP_SECONDS of CPU (less on a busy machine). Ordinary
  // commands get far less, even under qemu's emulation, where `nproc` and a shell already
  // cost over a second.
  if (fullUsed < FULL_LOOP_MIN_SECONDS * machineShare()) {
    return {
      passed: false,
      reason: t(
        `The full container has used less CPU in all than one ${LOOP_SECONDS}-second loop gets there: you have not run the loop there yet.`,
        `full 容器累计用掉的 CPU，比一个 ${LOOP_SECONDS} 秒的循环在那里能得到的还少：你还没有在那里运行这个循环。`,
      ),
      hint: 3,
    };
  }
  return judgeSubmittedSeconds(submitted, floor, { halfUsed, fullUsed, throttled });
}

/** The number itself, once both loops have run: what the half loop can have got, or why not. */
function judgeSubmittedSeconds(
  submitted: number,
  floor: number,
  used: { halfUsed: number; fullUsed: number; throttled: number },
): CheckOutcome {
  const { halfUsed, fullUsed, throttled } = used;
  const wallClock = submitted >= LOOP_SECONDS - 0.5 && submitted <= LOOP_SECONDS + 1;
  const possible =
    submitted >= floor && submitted <= ALLOWANCE + ABOVE_ALLOWANCE && submitted <= halfUsed + 0.05;
  if (!possible) {
    return wallClock
      ? {
          passed: false,
          reason: t(
            `${submitted} s is about as long as the loop ran on the clock, its real time. Under a quota the CPU time is another number.`,
            `${submitted} s 差不多是循环按挂钟计的运行时长，即它的 real 时间。在配额之下，CPU 时间是另一个数字。`,
          ),
          hint: 1,
        }
      : {
          passed: false,
          reason: t(
            `${submitted} s is not the CPU time the loop got in the half container.`,
            `${submitted} s 不是循环在 half 容器中得到的 CPU 时间。`,
          ),
          hint: 0,
        };
  }
  const share =
    submitted >= ALLOWANCE * 0.8
      ? t(
          `${HALF_CPUS} CPU's worth, as the quota allows`,
          `相当于 ${HALF_CPUS} 个 CPU，正是配额允许的`,
        )
      : t(
          `less than the ${seconds(ALLOWANCE)} the quota allows, because other work on this machine competed for the CPUs`,
          `少于配额允许的 ${seconds(ALLOWANCE)}，因为这台机器上的其他工作在争抢 CPU`,
        );
  return {
    passed: true,
    reason: t(
      `Right: about ${seconds(submitted)} of CPU in ${LOOP_SECONDS} s of wall time, ${share.en}. The host-side counters agree: the half container's cgroup has used ${seconds(halfUsed)} in all and was throttled in ${throttled} periods; the full container's has used ${seconds(fullUsed)}.`,
      `正确：${LOOP_SECONDS} s 的挂钟时间里得到约 ${seconds(submitted)} 的 CPU，${share.zh}。宿主机一侧的计数器也这么说：half 容器的控制组累计用掉 ${seconds(halfUsed)}，在 ${throttled} 个周期中被限流；full 容器的控制组用掉 ${seconds(fullUsed)}。`,
    ),
  };
}
