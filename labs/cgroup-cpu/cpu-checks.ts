// The CPU lab's checks. Each reads the host's side: the full container's affinity in the
// host's /proc, the half container's quota, cpu.stat and usage counters in its cgroup. Wrong
// numbers get the same words whatever they are, except the one well-known wrong source each
// exercise has (the machine's CPUs, the wall clock), so a reply never says "higher" or "lower".
import os from 'node:os';
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { counter, flatKeyed } from '../shared/cgroup-files.ts';
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
function busyNote(): string {
  if (machineShare() >= 1) return '';
  const load = (os.loadavg()[0] ?? 0).toFixed(1);
  return ` This machine is busy (a run queue of ${load} on ${os.availableParallelism()} CPUs), so your loops may get less than the quota: start more of them, or try again when it is quieter.`;
}

/** "Which CPU may it use?": the full container's affinity, which the plan chose for this session. */
export async function judgeCpus(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = parseCpus(answer ?? '');
  if (submitted === undefined)
    return { passed: false, reason: 'Name CPUs as the kernel does: 0, 1, or 0-3.', hint: 0 };
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
      reason: 'The full container is not pinned to one CPU as the lab expects; restart the lab.',
      hint: 0,
    };
  }
  if (sameCpus(submitted, truth) && sameCpus(truth, pinned)) {
    return {
      passed: true,
      reason: `Right: CPU ${allowed}. On the host, /proc/${processes[0]?.pid ?? '<pid>'}/status of the full container's processes says Cpus_allowed_list: ${allowed}, the cpuset Docker set for --cpuset-cpus ${info.HostConfig.CpusetCpus ?? ''}. The machine has more CPUs; this container cannot use them, even when they are idle.`,
    };
  }
  const machine = parseCpus(allowedOf(await half.processes()) ?? '');
  if (machine !== undefined && machine.length > 1 && sameCpus(submitted, machine)) {
    return {
      passed: false,
      reason: `${answer?.trim() ?? ''} is every CPU of the machine, which the unpinned half container may use: not the full container's.`,
      hint: 1,
    };
  }
  return { passed: false, reason: 'The full container may not run on that.', hint: 2 };
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
    return {
      passed: false,
      reason: `In the ${window} after you pressed Check, the half container ran in ${ran} CFS periods and was throttled in ${throttled} (cpu.stat, read on the host): it was not using up its quota then.${busyNote()}`,
      hint: ran === 0 ? 0 : 1,
    };
  }
  return {
    passed: true,
    reason: `Caught in the act: in ${window} the half container ran in ${ran} periods and the kernel throttled it in ${throttled} of them (cpu.stat nr_throttled, read on the host), under a quota of ${HALF_CPUS * PERIOD_US} µs per ${PERIOD_US} µs: Docker's translation of --cpus ${HALF_CPUS}. In all, it has been throttled in ${after.get('nr_throttled') ?? 0} periods.`,
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
    return { passed: false, reason: 'That is not a number of seconds.', hint: 0 };
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
      reason: `The half container's cgroup has not been throttled, or has used too little CPU for a ${LOOP_SECONDS}-second loop: run the loop there first.`,
      hint: 2,
    };
  }
  // A real loop in full gets about LOOP_SECONDS of CPU (less on a busy machine). Ordinary
  // commands get far less, even under qemu's emulation, where `nproc` and a shell already
  // cost over a second.
  if (fullUsed < FULL_LOOP_MIN_SECONDS * machineShare()) {
    return {
      passed: false,
      reason: `The full container has used less CPU in all than one ${LOOP_SECONDS}-second loop gets there: you have not run the loop there yet.`,
      hint: 3,
    };
  }
  const wallClock = submitted >= LOOP_SECONDS - 0.5 && submitted <= LOOP_SECONDS + 1;
  const possible =
    submitted >= floor && submitted <= ALLOWANCE + ABOVE_ALLOWANCE && submitted <= halfUsed + 0.05;
  if (!possible) {
    return wallClock
      ? {
          passed: false,
          reason: `${submitted} s is about as long as the loop ran on the clock, its real time. Under a quota the CPU time is another number.`,
          hint: 1,
        }
      : {
          passed: false,
          reason: `${submitted} s is not the CPU time the loop got in the half container.`,
          hint: 0,
        };
  }
  const share =
    submitted >= ALLOWANCE * 0.8
      ? `${HALF_CPUS} CPU's worth, as the quota allows`
      : `less than the ${seconds(ALLOWANCE)} the quota allows, because other work on this machine competed for the CPUs`;
  return {
    passed: true,
    reason: `Right: about ${seconds(submitted)} of CPU in ${LOOP_SECONDS} s of wall time, ${share}. The host-side counters agree: the half container's cgroup has used ${seconds(halfUsed)} in all and was throttled in ${throttled} periods; the full container's has used ${seconds(fullUsed)}.`,
  };
}
