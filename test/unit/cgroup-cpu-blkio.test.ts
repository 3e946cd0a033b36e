// The CPU and block I/O cgroup labs' checks against plain evidence on cgroup v1 and v2: the
// pinned CPU read on the host, throttling sampled live (and on a busy machine), CPU seconds
// within what the quota allows, and the session's own write rate.
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  WRITE_BPS_CHOICES,
  WRITE_BYTES,
  cgroupBlkioLab,
  sessionRate,
} from '../../labs/cgroup-blkio/cgroup-blkio-lab.ts';
import { cgroupCpuLab } from '../../labs/cgroup-cpu/cgroup-cpu-lab.ts';
import type { CheckContext } from '../../server/checks/check-context.ts';
import { cgroupContext, exercise } from './support/cgroup-context.ts';
import { fakeCheckContext } from './support/fake-check-context.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';

describe('cgroup-cpu lab', () => {
  // A machine with CPUs to spare, unless a test says otherwise.
  beforeEach(() => {
    vi.spyOn(os, 'availableParallelism').mockReturnValue(2);
    vi.spyOn(os, 'loadavg').mockReturnValue([0.5, 0.5, 0.5]);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cpu = (opts: { throttled: number; halfNs: number; fullNs: number }): CheckContext =>
    cgroupContext(1, {
      half: {
        inspect: { HostConfig: { NanoCpus: 5e8 } },
        files: {
          'cpu.cfs_quota_us': '50000\n',
          'cpu.cfs_period_us': '100000\n',
          'cpu.stat': `nr_periods 54\nnr_throttled ${opts.throttled}\nthrottled_time 1\n`,
          'cpuacct.usage': `${opts.halfNs}\n`,
        },
      },
      full: {
        inspect: { HostConfig: { NanoCpus: 1e9, CpusetCpus: '1' } },
        files: { 'cpuacct.usage': `${opts.fullNs}\n` },
        processes: [{ pid: 4242, cmdline: 'sleep infinity', status: { Cpus_allowed_list: '1' } }],
      },
    });
  const ran = cpu({ throttled: 50, halfNs: 2.6e9, fullNs: 5e9 });

  it("reads the affinity from the host, and names the machine's CPUs as such", async () => {
    const check = exercise(cgroupCpuLab, 'count-cpus').check;
    const withHalf = (allowed: string): CheckContext => {
      const base = ran;
      return {
        ...base,
        container: (name) =>
          name === 'half'
            ? {
                ...base.container('half'),
                processes: () =>
                  Promise.resolve([
                    { pid: 4343, cmdline: 'bash', status: { Cpus_allowed_list: allowed } },
                  ]),
              }
            : base.container(name),
      };
    };
    for (const answer of ['1', 'CPU 1', 'cpu1', ' 1-1 ']) {
      expect((await check(withHalf('0-1'), answer)).passed).toBe(true);
    }
    expect(await check(withHalf('0-1'), '0-1')).toMatchObject({ passed: false, hint: 1 });
    expect(await check(withHalf('0-1'), '0')).toMatchObject({ passed: false, hint: 2 });
    expect(await check(withHalf('0-1'), 'two')).toMatchObject({ passed: false, hint: 0 });
  });

  describe('throttle-half (a live sample of cpu.stat)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const sampled = async (first: string, second: string, version: 1 | 2 = 1) => {
      vi.useFakeTimers();
      const quota: Record<string, string> =
        version === 1
          ? { 'cpu.cfs_quota_us': '50000\n', 'cpu.cfs_period_us': '100000\n' }
          : { 'cpu.max': '50000 100000\n' };
      const ctx = cgroupContext(version, {
        half: {
          inspect: { HostConfig: { NanoCpus: 5e8 } },
          files: { ...quota, 'cpu.stat': [first, second] },
        },
      });
      const outcome = exercise(cgroupCpuLab, 'throttle-half').check(ctx, undefined);
      await vi.advanceTimersByTimeAsync(5000);
      return outcome;
    };

    it('passes while most periods end throttled', async () => {
      const outcome = await sampled(
        'nr_periods 100\nnr_throttled 40\n',
        'nr_periods 115\nnr_throttled 54\n',
      );
      expect(outcome.passed).toBe(true);
      expect(inLang(outcome.reason, 'en')).toContain('throttled it in 14 of them');
    });

    it('fails on a throttle count left over from earlier, however large', async () => {
      const outcome = await sampled(
        'nr_periods 400\nnr_throttled 300\n',
        'nr_periods 400\nnr_throttled 300\n',
      );
      expect(outcome).toMatchObject({ passed: false, hint: 0 });
    });

    it('fails when the container runs but stays within its quota', async () => {
      const outcome = await sampled(
        'nr_periods 10\nnr_throttled 2\n',
        'nr_periods 25\nnr_throttled 4\n',
        2,
      );
      expect(outcome).toMatchObject({ passed: false, hint: 1 });
    });

    it('asks for less throttling on a busy machine, and says why it failed', async () => {
      const live = [
        'nr_periods 100\nnr_throttled 40\n',
        'nr_periods 115\nnr_throttled 44\n',
      ] as const;
      expect(await sampled(...live)).toMatchObject({ passed: false, hint: 1 });
      vi.spyOn(os, 'loadavg').mockReturnValue([5, 5, 5]);
      expect((await sampled(...live)).passed).toBe(true);
      vi.spyOn(os, 'loadavg').mockReturnValue([20, 20, 20]);
      const still = await sampled(
        'nr_periods 100\nnr_throttled 40\n',
        'nr_periods 115\nnr_throttled 40\n',
      );
      expect(still).toMatchObject({ passed: false, hint: 1 });
      expect(inLang(still.reason, 'en')).toMatch(/This machine is busy/);
    });

    it('is marked momentary, so verify does not re-check it at the end', () => {
      expect(exercise(cgroupCpuLab, 'throttle-half').momentary).toBe(true);
    });
  });

  it('accepts measured CPU seconds, not wall time or more than the cgroup used', async () => {
    const check = exercise(cgroupCpuLab, 'cpu-seconds').check;
    expect((await check(ran, '0m2.521s')).passed).toBe(true);
    expect((await check(ran, '2.0')).passed).toBe(true);
    expect(await check(ran, '5.01')).toMatchObject({ passed: false, hint: 1 });
    // Outside what a 5 s loop gets under 0.5 CPU on a machine with CPUs to spare.
    for (const outside of ['2.8', '1.4', '0.6', '1.0']) {
      expect(await check(ran, outside)).toMatchObject({ passed: false, hint: 0 });
    }
    const littleUsed = cpu({ throttled: 5, halfNs: 1.2e9, fullNs: 5e9 });
    expect(await check(littleUsed, '2.5')).toMatchObject({ passed: false, hint: 2 });
    const fullIdle = cpu({ throttled: 50, halfNs: 2.6e9, fullNs: 4e7 });
    expect(await check(fullIdle, '2.5')).toMatchObject({ passed: false, hint: 3 });
    // Measured in the VM under emulation: commands alone gave full 1.73 s and half 2.91 s.
    const emulatedOverhead = cpu({ throttled: 45, halfNs: 2.91e9, fullNs: 1.73e9 });
    expect(await check(emulatedOverhead, '2.5')).toMatchObject({ passed: false, hint: 3 });
    // On a busy machine (a run queue four times its CPUs) the loop may have got far less.
    vi.spyOn(os, 'loadavg').mockReturnValue([8, 8, 8]);
    expect((await check(ran, '1.0')).passed).toBe(true);
    expect(await check(ran, '2.8')).toMatchObject({ passed: false, hint: 0 });
  });

  it('reads cpu.max and usage_usec on cgroup v2', async () => {
    const ctx = cgroupContext(2, {
      half: {
        inspect: { HostConfig: { NanoCpus: 5e8 } },
        files: {
          'cpu.max': '50000 100000\n',
          'cpu.stat': 'usage_usec 2600000\nnr_periods 54\nnr_throttled 50\n',
        },
      },
      full: { inspect: {}, files: { 'cpu.stat': 'usage_usec 5000000\n' } },
    });
    expect((await exercise(cgroupCpuLab, 'cpu-seconds').check(ctx, '2.5')).passed).toBe(true);
  });
});

describe('cgroup-blkio lab', () => {
  // The fake session's own rate, one of the choices, picked by its token as the plan does.
  const WRITE_BPS = sessionRate(fakeCheckContext({}).ctx.sessionToken);
  const v1 = (written: number): CheckContext =>
    cgroupContext(1, {
      writer: {
        inspect: { HostConfig: { BlkioDeviceWriteBps: [{ Path: '/dev/vda', Rate: WRITE_BPS }] } },
        files: {
          'blkio.throttle.write_bps_device': `254:0 ${WRITE_BPS}\n`,
          'blkio.throttle.io_service_bytes': `254:0 Read 159744\n254:0 Write ${written}\n254:0 Sync ${written}\nTotal ${written}\n`,
          'blkio.throttle.io_serviced': `254:0 Read 31\n254:0 Write 8\nTotal 39\n`,
        },
      },
    });
  const v2 = (written: number): CheckContext =>
    cgroupContext(2, {
      writer: {
        inspect: { HostConfig: { BlkioDeviceWriteBps: [{ Path: '/dev/vda', Rate: WRITE_BPS }] } },
        files: {
          'io.max': `254:0 rbps=max wbps=${WRITE_BPS} riops=max wiops=max\n`,
          'io.stat': `254:0 rbytes=159744 wbytes=${written} rios=31 wios=8 dbytes=0 dios=0\n`,
        },
      },
    });

  it('finds the throttled device, not the overlay', async () => {
    const check = exercise(cgroupBlkioLab, 'find-device').check;
    expect((await check(v1(0), '254:0')).passed).toBe(true);
    expect((await check(v2(0), '254:0')).passed).toBe(true);
    expect(await check(v1(0), '0:39')).toMatchObject({ passed: false, hint: 1 });
    expect(await check(v1(0), 'vda')).toMatchObject({ passed: false, hint: 0 });
  });

  it('needs the bytes the block layer counted through the limit', async () => {
    const check = exercise(cgroupBlkioLab, 'direct-write').check;
    expect((await check(v1(WRITE_BYTES), undefined)).passed).toBe(true);
    expect((await check(v2(WRITE_BYTES), undefined)).passed).toBe(true);
    expect((await check(v1(81920), undefined)).passed).toBe(false);
  });

  it("accepts dd's throttled rate, not the page cache's", async () => {
    const check = exercise(cgroupBlkioLab, 'write-rate').check;
    const asDd = (bps: number): string => `${(bps / 1e6).toFixed(1)} MB/s`;
    expect(WRITE_BPS_CHOICES).toContain(WRITE_BPS);
    expect((await check(v1(WRITE_BYTES), asDd(WRITE_BPS))).passed).toBe(true);
    expect(await check(v1(WRITE_BYTES), '1.7 GB/s')).toMatchObject({ passed: false, hint: 1 });
    // Another session's rate is not this one's; the words do not say which way it is off.
    const other = WRITE_BPS_CHOICES.find((bps) => Math.abs(bps - WRITE_BPS) > WRITE_BPS * 0.2);
    expect(await check(v1(WRITE_BYTES), asDd(other ?? 0))).toMatchObject({
      passed: false,
      hint: 1,
      reason: (await check(v1(WRITE_BYTES), '1.7 GB/s')).reason,
    });
    expect(await check(v1(0), asDd(WRITE_BPS))).toMatchObject({ passed: false, hint: 2 });
  });
});
