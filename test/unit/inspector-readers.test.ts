// The inspector's pure parts: cgroup files of both versions (v2 is the Debian 13 VM's, so it
// is read here from files laid out as the kernel writes them), namespace sharing and the risk
// lines a profile earns.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilityView } from '../../server/inspector/capability-view.ts';
import { cgroupLimits, cgroupView, ioBytes } from '../../server/inspector/cgroup-view.ts';
import { namespaceRows } from '../../server/inspector/inspect-session.ts';
import { riskLines } from '../../server/inspector/risk-lines.ts';
import type { SecurityView } from '../../server/protocol/inspector-types.ts';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'nslab-inspector-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('cgroup readings', () => {
  it('reads a cgroup v2 directory', async () => {
    const dir = await dirWith({
      'memory.current': '3145728\n',
      'memory.max': '33554432\n',
      'memory.events': 'low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n',
      'pids.current': '3\n',
      'pids.max': 'max\n',
      'cpu.stat':
        'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 40\nnr_throttled 7\nthrottled_usec 90\n',
      'cpu.max': '50000 100000\n',
      'io.stat': '254:0 rbytes=4096 wbytes=10485760 rios=1 wios=10 dbytes=0 dios=0\n',
    });
    try {
      const dirs = { version: 2 as const, memory: dir, pids: dir, cpu: dir, blkio: dir };
      const view = cgroupView(dirs, cgroupLimits(dirs));
      expect(view).toEqual({
        version: 2,
        memory: { usage: 3145728, limit: 33554432 },
        pids: { current: 3, limit: null },
        cpu: { usageNs: 1_500_000, cpus: 0.5, periods: 40, throttled: 7 },
        io: { readBytes: 4096, writeBytes: 10485760 },
        oomKills: 2,
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reads cgroup v1 directories, "unlimited" as no limit', async () => {
    const dir = await dirWith({
      'memory.usage_in_bytes': '1000\n',
      'memory.limit_in_bytes': '9223372036854771712\n',
      'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n',
      'pids.current': '2\n',
      'pids.max': '50\n',
      'cpuacct.usage': '123456\n',
      'cpu.cfs_quota_us': '-1\n',
      'cpu.cfs_period_us': '100000\n',
      'cpu.stat': 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n',
    });
    try {
      const dirs = { version: 1 as const, memory: dir, pids: dir, cpu: dir, cpuacct: dir };
      const view = cgroupView(dirs, cgroupLimits(dirs));
      expect(view.memory).toEqual({ usage: 1000, limit: null });
      expect(view.pids).toEqual({ current: 2, limit: 50 });
      expect(view.cpu).toEqual({ usageNs: 123456, cpus: null, periods: 0, throttled: 0 });
      // No blkio directory: unknown, not zero.
      expect(view.io).toEqual({ readBytes: null, writeBytes: null });
      expect(view.oomKills).toBe(1);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('sums v1 block I/O over devices', () => {
    const text = '8:0 Read 100\n8:0 Write 200\n8:0 Total 300\n8:16 Write 5\nTotal 305\n';
    expect(ioBytes(text, 1)).toEqual({ readBytes: 100, writeBytes: 205 });
  });
});

describe('namespace sharing', () => {
  it('tells private, the host and another container of the session apart', () => {
    const host = { pid: 'pid:[1]', ipc: 'ipc:[2]', user: 'user:[3]' };
    const rows = namespaceRows(
      ['a', 'b'],
      [
        { pid: 'pid:[10]', ipc: 'ipc:[20]', user: 'user:[3]' },
        { pid: 'pid:[1]', ipc: 'ipc:[20]', user: 'user:[3]' },
      ],
      host,
      2,
    );
    expect(rows[0]?.map((r) => [r.kind, r.sharing, r.sharedWith, r.dockerDefault])).toEqual([
      ['pid', 'private', undefined, false],
      ['ipc', 'container', ['b'], false],
      ['user', 'host', undefined, true],
    ]);
    expect(rows[1]?.[0]).toMatchObject({ kind: 'pid', sharing: 'host' });
  });
});

const HARDENED: SecurityView = {
  seccomp: 'filter',
  seccompFilters: 1,
  noNewPrivs: true,
  lsmLabel: 'docker-default (enforce)',
  uidMap: '0 100000 65536',
  gidMap: '0 100000 65536',
  privileged: false,
  readonlyRootfs: true,
  maskedPaths: ['/proc/kcore'],
  readonlyPaths: ['/proc/sys'],
  exposures: [],
};

describe('risk lines', () => {
  it('finds nothing in a hardened container', () => {
    expect(
      riskLines({ namespaces: [], capabilities: null, security: HARDENED, cgroup: null }, true),
    ).toEqual([]);
  });

  it("names an added capability by recommendation 14 and a socket by the daemon's attack surface", () => {
    const caps = capabilityView({
      CapEff: '00000000a82425fb',
      CapBnd: '00000000a82425fb',
      CapAmb: '0',
    });
    expect(caps?.added).toEqual(['cap_sys_admin']);
    const security: SecurityView = {
      ...HARDENED,
      seccomp: 'disabled',
      exposures: [
        {
          kind: 'docker-socket',
          source: '/run/x.sock',
          destination: '/var/run/docker.sock',
          readOnly: true,
        },
      ],
    };
    const lines = riskLines({ namespaces: [], capabilities: caps, security, cgroup: null }, true);
    expect(lines.map((l) => [l.level, l.source.en])).toEqual([
      ['high', 'recommendation 13 (seccomp)'],
      ['high', 'recommendation 14 (capabilities)'],
      ['high', 'Docker security: Docker daemon attack surface; recommendation 2'],
    ]);
    // Every line in both languages: one reading serves watchers in either.
    expect(lines.map((l) => l.source.zh)).toEqual([
      '第 13 条建议（seccomp）',
      '第 14 条建议（能力）',
      'Docker 安全文档：Docker 守护进程的攻击面；第 2 条建议',
    ]);
    for (const line of lines)
      for (const text of [line.setting, line.why]) expect(text.zh).not.toBe(text.en);
  });
});
