// Live cgroup limits and usage of a container, read from the host's /sys/fs/cgroup in the
// directories its init process's /proc/<pid>/cgroup names: one per controller on cgroup v1,
// one unified directory on v2. The directories are found once per process; each reading is
// then a handful of small files, cheap enough to take every second; the limits are read
// with the profile.
import { readFileSync } from 'node:fs';
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

/**
 * A file's text, or undefined when the controller or file is missing (an older kernel). Read
 * synchronously on purpose: these are a few dozen bytes the kernel formats on the spot, and
 * the async path (thread pool, promise per file) cost several times the CPU of the read itself
 * with 30 inspectors open; each blocks the event loop for microseconds.
 */
function read(dir: string | undefined, file: string): string | undefined {
  if (dir === undefined) return undefined;
  try {
    return readFileSync(`${dir}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
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

/** What the container may use: read with the profile, since only `docker update` changes it. */
export type CgroupLimits = Pick<CgroupView, 'version'> & {
  memory: number | null;
  pids: number | null;
  cpus: number | null;
};

export function cgroupLimits(dirs: CgroupDirs): CgroupLimits {
  if (dirs.version === 2) {
    const [quota, period] = (read(dirs.cpu, 'cpu.max') ?? 'max').trim().split(/\s+/);
    return {
      version: 2,
      memory: limit(read(dirs.memory, 'memory.max')),
      pids: limit(read(dirs.pids, 'pids.max')),
      cpus: quota === undefined || quota === 'max' ? null : Number(quota) / Number(period),
    };
  }
  const q = num(read(dirs.cpu, 'cpu.cfs_quota_us'));
  const p = num(read(dirs.cpu, 'cpu.cfs_period_us'));
  return {
    version: 1,
    memory: limit(read(dirs.memory, 'memory.limit_in_bytes')),
    pids: limit(read(dirs.pids, 'pids.max')),
    cpus: q === null || p === null || q <= 0 || p <= 0 ? null : q / p,
  };
}

/** What it uses now: the handful of counters read on every tick. */
export function cgroupView(dirs: CgroupDirs, limits: CgroupLimits): CgroupView {
  const v2 = dirs.version === 2;
  const stat = keyed(read(dirs.cpu, 'cpu.stat'));
  const usec = stat.get('usage_usec');
  const usageNs = v2
    ? usec === undefined
      ? null
      : usec * 1000
    : num(read(dirs.cpuacct, 'cpuacct.usage'));
  const oom = keyed(read(dirs.memory, v2 ? 'memory.events' : 'memory.oom_control'));
  return {
    version: dirs.version,
    memory: {
      usage: num(read(dirs.memory, v2 ? 'memory.current' : 'memory.usage_in_bytes')),
      limit: limits.memory,
    },
    pids: { current: num(read(dirs.pids, 'pids.current')), limit: limits.pids },
    cpu: {
      usageNs,
      cpus: limits.cpus,
      periods: stat.get('nr_periods') ?? null,
      throttled: stat.get('nr_throttled') ?? null,
    },
    io: ioBytes(read(dirs.blkio, v2 ? 'io.stat' : 'blkio.throttle.io_service_bytes'), dirs.version),
    oomKills: oom.get('oom_kill') ?? null,
  };
}
