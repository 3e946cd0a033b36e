// Live cgroup limits and usage of a container, read from the host's /sys/fs/cgroup in the
// directories its init process's /proc/<pid>/cgroup names: one per controller on cgroup v1,
// one unified directory on v2. The directories are found once per process; each reading is
// then a handful of small files, cheap enough to take every second.
import { readFile } from 'node:fs/promises';
import { cgroupDir } from '../checks/docker-check-context.ts';
import type { CgroupView } from '../protocol/inspector-types.ts';

export interface CgroupDirs {
  version: 1 | 2;
  memory?: string;
  pids?: string;
  cpu?: string;
  cpuacct?: string;
  blkio?: string;
}

/** Where the container's cgroups are, from its init process's /proc/<pid>/cgroup. */
export async function cgroupDirs(pid: number, version: 1 | 2): Promise<CgroupDirs> {
  const text = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  if (version === 2) {
    const unified = cgroupDir(text, 'memory');
    return { version, memory: unified, pids: unified, cpu: unified, blkio: unified };
  }
  return {
    version,
    memory: cgroupDir(text, 'memory'),
    pids: cgroupDir(text, 'pids'),
    cpu: cgroupDir(text, 'cpu'),
    cpuacct: cgroupDir(text, 'cpuacct'),
    blkio: cgroupDir(text, 'blkio'),
  };
}

/** A file's text, or undefined when the controller or file is missing (an older kernel). */
function read(dir: string | undefined, file: string): Promise<string | undefined> {
  if (dir === undefined) return Promise.resolve(undefined);
  return readFile(`${dir}/${file}`, 'utf8').catch(() => undefined);
}

function num(text: string | undefined): number | null {
  const value = Number(text?.trim());
  return text === undefined || !Number.isFinite(value) ? null : value;
}

/** v1 writes "unlimited" as a page-rounded 2^63; v2 writes "max". */
function limit(text: string | undefined): number | null {
  if (text === undefined || text.trim() === 'max') return null;
  const value = num(text);
  return value === null || value >= 2 ** 60 ? null : value;
}

/** "key value" lines (cpu.stat, memory.events, memory.oom_control) as a map. */
export function keyed(text: string | undefined): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && value !== undefined && /^-?\d+$/.test(value))
      fields.set(key, Number(value));
  }
  return fields;
}

/** Read and Write bytes summed over devices: v1 io_service_bytes, v2 io.stat rbytes/wbytes. */
export function ioBytes(text: string | undefined, version: 1 | 2): CgroupView['io'] {
  if (text === undefined) return { readBytes: null, writeBytes: null };
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of text.split('\n')) {
    if (version === 2) {
      readBytes += Number(/\brbytes=(\d+)/.exec(line)?.[1] ?? 0);
      writeBytes += Number(/\bwbytes=(\d+)/.exec(line)?.[1] ?? 0);
      continue;
    }
    const [device, op, value] = line.trim().split(/\s+/);
    if (device === undefined || !device.includes(':')) continue;
    if (op === 'Read') readBytes += Number(value);
    if (op === 'Write') writeBytes += Number(value);
  }
  return { readBytes, writeBytes };
}

async function readV1(dirs: CgroupDirs): Promise<CgroupView> {
  const [usage, memLimit, oom, pids, pidsMax, cpuUsage, quota, period, cpuStat, io] =
    await Promise.all([
      read(dirs.memory, 'memory.usage_in_bytes'),
      read(dirs.memory, 'memory.limit_in_bytes'),
      read(dirs.memory, 'memory.oom_control'),
      read(dirs.pids, 'pids.current'),
      read(dirs.pids, 'pids.max'),
      read(dirs.cpuacct, 'cpuacct.usage'),
      read(dirs.cpu, 'cpu.cfs_quota_us'),
      read(dirs.cpu, 'cpu.cfs_period_us'),
      read(dirs.cpu, 'cpu.stat'),
      read(dirs.blkio, 'blkio.throttle.io_service_bytes'),
    ]);
  const stat = keyed(cpuStat);
  const q = num(quota);
  const p = num(period);
  return {
    version: 1,
    memory: { usage: num(usage), limit: limit(memLimit) },
    pids: { current: num(pids), limit: limit(pidsMax) },
    cpu: {
      usageNs: num(cpuUsage),
      cpus: q === null || p === null || q <= 0 || p <= 0 ? null : q / p,
      periods: stat.get('nr_periods') ?? null,
      throttled: stat.get('nr_throttled') ?? null,
    },
    io: ioBytes(io, 1),
    oomKills: keyed(oom).get('oom_kill') ?? null,
  };
}

async function readV2(dirs: CgroupDirs): Promise<CgroupView> {
  const [usage, memMax, events, pids, pidsMax, cpuStat, cpuMax, io] = await Promise.all([
    read(dirs.memory, 'memory.current'),
    read(dirs.memory, 'memory.max'),
    read(dirs.memory, 'memory.events'),
    read(dirs.pids, 'pids.current'),
    read(dirs.pids, 'pids.max'),
    read(dirs.cpu, 'cpu.stat'),
    read(dirs.cpu, 'cpu.max'),
    read(dirs.blkio, 'io.stat'),
  ]);
  const stat = keyed(cpuStat);
  const [quota, period] = (cpuMax ?? 'max').trim().split(/\s+/);
  const usec = stat.get('usage_usec');
  return {
    version: 2,
    memory: { usage: num(usage), limit: limit(memMax) },
    pids: { current: num(pids), limit: limit(pidsMax) },
    cpu: {
      usageNs: usec === undefined ? null : usec * 1000,
      cpus: quota === undefined || quota === 'max' ? null : Number(quota) / Number(period),
      periods: stat.get('nr_periods') ?? null,
      throttled: stat.get('nr_throttled') ?? null,
    },
    io: ioBytes(io, 2),
    oomKills: keyed(events).get('oom_kill') ?? null,
  };
}

export function cgroupView(dirs: CgroupDirs): Promise<CgroupView> {
  return dirs.version === 2 ? readV2(dirs) : readV1(dirs);
}
