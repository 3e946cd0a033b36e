// What the CPU lab's checks read and how they read learners' numbers: the quota and usage
// counters of a container's cpu cgroup on the host (v1 and v2 spellings), CPU lists as the
// kernel writes them, and times as `time` prints them.
import { type CheckOutcome, type ContainerEvidence, cpuList } from '../../server/lab-kit.ts';
import { counter, limitValue } from '../shared/cgroup-files.ts';
import { t } from '../shared/localized.ts';

export const HALF_CPUS = 0.5;
export const FULL_CPUS = 1;
export const PERIOD_US = 100_000;
export const LOOP_SECONDS = 5;
/** CPU time the full container must have used before its loop counts as run. */
export const FULL_LOOP_MIN_SECONDS = LOOP_SECONDS * 0.7;
/** How long the throttle check watches cpu.stat, and what it must see in that time. */
export const SAMPLE_MS = 1500;
export const MIN_LIVE_PERIODS = 8;
export const MIN_THROTTLED_SHARE = 0.6;
/** Long enough to press Check while it runs; short enough to be over before the next exercise. */
export const LIVE_LOOP_SECONDS = 20;

/** The busy loop every exercise uses: a shell spinning for `seconds` of wall time. */
export function busyLoop(seconds: number): string {
  return `timeout ${seconds} sh -c 'while :; do :; done'`;
}

/** CPUs in a kernel list such as "0", "0-3", "0,2-3"; NaN when it is not one. */
export function cpuListSize(list: string): number {
  const cpus = cpuList(list);
  return cpus.length === 0 ? Number.NaN : cpus.length;
}

/** The CPUs a learner named: a kernel list ("1", "0-3"), maybe after "cpu" ("CPU 1", "cpu1"). */
export function parseCpus(text: string): number[] | undefined {
  const cpus = cpuList(text.trim().replace(/^cpus?\s*/i, ''));
  return cpus.length === 0 ? undefined : [...new Set(cpus)].sort((a, b) => a - b);
}

export const sameCpus = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((cpu, i) => cpu === b[i]);

/** Seconds a learner typed: "2.52", "2,52", "2.52s", or bash's `time` format "0m2.521s". */
export function parseSeconds(text: string): number | undefined {
  const match = /^(?:(\d+)\s*m\s*)?(\d+(?:[.,]\d+)?)\s*s?$/i.exec(text.trim());
  if (match?.[2] === undefined) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2].replace(',', '.'));
}

/** The CFS quota and period in microseconds (v1 cfs_quota_us/cfs_period_us, v2 cpu.max). */
export async function quota(
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
export async function usageSeconds(box: ContainerEvidence, cgroupVersion: 1 | 2): Promise<number> {
  if (cgroupVersion === 2) return (await counter(box, 'cpu', 'cpu.stat', 'usage_usec')) / 1e6;
  return (limitValue(await box.cgroupFile('cpuacct', 'cpuacct.usage')) ?? 0) / 1e9;
}

/** The half container's quota as the kernel holds it, or a failed outcome explaining why not. */
export async function halfQuotaProblem(
  box: ContainerEvidence,
  cgroupVersion: 1 | 2,
): Promise<CheckOutcome | undefined> {
  const nanoCpus = (await box.inspect()).HostConfig.NanoCpus ?? 0;
  const { quotaUs, periodUs } = await quota(box, cgroupVersion);
  if (nanoCpus !== HALF_CPUS * 1e9 || quotaUs !== HALF_CPUS * PERIOD_US || periodUs !== PERIOD_US) {
    return {
      passed: false,
      reason: t(
        `The half container's CPU quota is ${quotaUs ?? 'unlimited'} µs per ${periodUs ?? '?'} µs (NanoCpus = ${nanoCpus}), not the lab's ${HALF_CPUS * PERIOD_US} per ${PERIOD_US}; restart the lab.`,
        `half 容器的 CPU 配额是每 ${periodUs ?? '?'} µs ${quotaUs ?? '无限制'} µs（NanoCpus = ${nanoCpus}），而不是本实验设定的每 ${PERIOD_US} µs ${HALF_CPUS * PERIOD_US} µs；请重启实验。`,
      ),
      hint: 0,
    };
  }
  return undefined;
}

/** Two busy loops at once: together they want two CPUs, four times the half container's quota. */
export function twoBusyLoops(seconds: number): string {
  return `( ${busyLoop(seconds)} & ${busyLoop(seconds)}; wait )`;
}
