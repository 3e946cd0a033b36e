// The cgroup labs (memory, pids) and the parsers all four rely on: the checks against plain
// evidence on cgroup v1 and v2, including the memory check after the container itself was
// OOM-killed (its cgroup is gone; only the engine's record is left). CPU and block I/O are in
// cgroup-cpu-blkio.test.ts.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseRate } from '../../labs/cgroup-blkio/cgroup-blkio-lab.ts';
import { cpuListSize, parseCpus, parseSeconds } from '../../labs/cgroup-cpu/cgroup-cpu-lab.ts';
import {
  MEMORY_CHOICES_MB,
  cgroupMemoryLab,
  parseBytes,
  sessionLimitBytes,
} from '../../labs/cgroup-memory/cgroup-memory-lab.ts';
import { PIDS_LIMIT, cgroupPidsLab } from '../../labs/cgroup-pids/cgroup-pids-lab.ts';
import { flatKeyed, limitValue } from '../../labs/shared/cgroup-files.ts';
import type { CheckContext } from '../../server/checks/check-context.ts';
import { MIB, cgroupContext, exercise } from './support/cgroup-context.ts';
import { fakeCheckContext } from './support/fake-check-context.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';

describe('cgroup file parsers', () => {
  it('reads flat keyed files and limits', () => {
    const stat = flatKeyed('nr_periods 54\nnr_throttled 50\nthrottled_time 2451230712\n');
    expect(stat.get('nr_throttled')).toBe(50);
    expect(flatKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 1\n').get('oom_kill')).toBe(1);
    expect(limitValue('33554432\n')).toBe(33554432);
    expect(limitValue('max\n')).toBeUndefined();
    expect(limitValue('-1\n')).toBeUndefined();
    expect(limitValue('50000 100000\n')).toBe(50000);
  });

  it.each([
    ['33554432', 33554432],
    ['33,554,432', 33554432],
    ['32m', 32 * MIB],
    ['32 MiB', 32 * MIB],
    ['32M', 32 * MIB],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it('reads seconds, CPU lists and rates as learners type them', () => {
    expect(parseSeconds('0m2.521s')).toBeCloseTo(2.521);
    expect(parseSeconds('2,5')).toBeCloseTo(2.5);
    expect(parseSeconds('2.52 s')).toBeCloseTo(2.52);
    expect(parseSeconds('1m0.5s')).toBeCloseTo(60.5);
    expect(parseSeconds('fast')).toBeUndefined();
    expect(cpuListSize('0')).toBe(1);
    expect(cpuListSize('0-3,6')).toBe(5);
    expect(parseCpus('CPU 2')).toEqual([2]);
    expect(parseCpus('3,1-2')).toEqual([1, 2, 3]);
    expect(parseCpus('one')).toBeUndefined();
    expect(parseRate('2.1 MB/s')).toBeCloseTo(2.1e6);
    expect(parseRate('2.1')).toBeCloseTo(2.1e6);
    expect(parseRate('2 MiB/s')).toBe(2 * MIB);
    expect(parseRate('1.7 GB/s')).toBeCloseTo(1.7e9);
    expect(parseRate('quick')).toBeUndefined();
  });
});

describe('cgroup-memory lab', () => {
  // The fake session's own limit: one of the choices, picked by its token as the plan does.
  const limit = sessionLimitBytes(fakeCheckContext({}).ctx);

  it("gives the session one of the lab's limits", () => {
    expect(MEMORY_CHOICES_MB.map((mb) => mb * MIB)).toContain(limit);
  });

  const oomKill = exercise(cgroupMemoryLab, 'oom-kill').check;
  const v1 = (kills: number, state: Record<string, unknown> = {}): CheckContext =>
    cgroupContext(1, {
      limited: {
        inspect: { HostConfig: { Memory: limit }, State: state },
        files: {
          'memory.limit_in_bytes': `${limit}\n`,
          'memory.oom_control': `oom_kill_disable 0\nunder_oom 0\noom_kill ${kills}\n`,
          'memory.max_usage_in_bytes': `${4 * MIB}\n`,
        },
      },
    });

  it("passes when the cgroup counted an OOM kill under the session's limit", async () => {
    expect((await oomKill(v1(1), undefined)).passed).toBe(true);
    expect(await oomKill(v1(0), undefined)).toMatchObject({ passed: false, hint: 0 });
  });

  it('passes on cgroup v2 from memory.events', async () => {
    const ctx = (kills: number): CheckContext =>
      cgroupContext(2, {
        limited: {
          inspect: { HostConfig: { Memory: limit } },
          files: {
            'memory.max': `${limit}\n`,
            'memory.events': `low 0\nhigh 0\nmax 12\noom 1\noom_kill ${kills}\n`,
            'memory.peak': `${limit}\n`,
          },
        },
      });
    expect((await oomKill(ctx(1), undefined)).passed).toBe(true);
    // At the limit without a kill: the kernel reclaimed, and the hint says so.
    expect(await oomKill(ctx(0), undefined)).toMatchObject({ passed: false, hint: 2 });
  });

  it('uses the engine record when the container itself died, with or without an OOM kill', async () => {
    const stopped = (oomKilled: boolean): CheckContext =>
      cgroupContext(1, {
        limited: {
          inspect: {
            HostConfig: { Memory: limit },
            State: { Running: false, OOMKilled: oomKilled, ExitCode: 137 },
          },
        },
      });
    expect((await oomKill(stopped(true), undefined)).passed).toBe(true);
    expect(await oomKill(stopped(false), undefined)).toMatchObject({ passed: false, hint: 1 });
  });

  it('refuses a kill under a different limit, even one another session could have', async () => {
    for (const other of [64 * MIB, limit === 32 * MIB ? 34 * MIB : 32 * MIB]) {
      const ctx = cgroupContext(1, {
        limited: {
          inspect: { HostConfig: { Memory: other } },
          files: { 'memory.limit_in_bytes': `${other}\n`, 'memory.oom_control': 'oom_kill 3\n' },
        },
      });
      expect((await oomKill(ctx, undefined)).passed).toBe(false);
    }
  });

  it("accepts the cgroup's limit as an answer and explains the host's memory", async () => {
    const check = exercise(cgroupMemoryLab, 'find-limit').check;
    const ctx = v1(0);
    expect((await check(ctx, `${limit}`)).passed).toBe(true);
    expect((await check(ctx, `${limit / MIB}m`)).passed).toBe(true);
    expect(await check(ctx, `${os.totalmem()}`)).toMatchObject({ passed: false, hint: 1 });
    // Any other number gets the same words, whether above or below the limit.
    const below = await check(ctx, `${limit - MIB}`);
    const above = await check(ctx, `${limit + MIB}`);
    expect(below).toMatchObject({ passed: false, hint: 2 });
    expect(above).toMatchObject({ passed: false, hint: 2 });
    expect(inLang(above.reason, 'en').replace(`${limit + MIB}`, 'N')).toBe(
      inLang(below.reason, 'en').replace(`${limit - MIB}`, 'N'),
    );
  });
});

describe('cgroup-pids lab', () => {
  const pids = (refused: number, current: number, version: 1 | 2 = 1): CheckContext =>
    cgroupContext(version, {
      limited: {
        inspect: { HostConfig: { PidsLimit: PIDS_LIMIT } },
        files: {
          'pids.max': `${PIDS_LIMIT}\n`,
          'pids.current': `${current}\n`,
          'pids.events': `max ${refused}\n`,
        },
      },
    });
  const contain = exercise(cgroupPidsLab, 'contain-bomb').check;
  const count = exercise(cgroupPidsLab, 'count-refusals').check;

  it('needs refused forks at the limit, and a container that recovered', async () => {
    expect(await contain(pids(0, 3), undefined)).toMatchObject({ passed: false, hint: 0 });
    expect(await contain(pids(57, 64), undefined)).toMatchObject({ passed: false, hint: 3 });
    expect((await contain(pids(57, 3), undefined)).passed).toBe(true);
    expect((await contain(pids(57, 3, 2), undefined)).passed).toBe(true);
  });

  it("compares the answer with the kernel's count", async () => {
    expect((await count(pids(57, 3), '57')).passed).toBe(true);
    expect(await count(pids(57, 3), `${PIDS_LIMIT}`)).toMatchObject({ passed: false, hint: 1 });
    expect((await count(pids(0, 3), '0')).passed).toBe(false);
  });
});
