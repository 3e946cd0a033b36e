// The host cgroups that hold session engines: one per instance, session and engine, with the
// same name in every hierarchy. Each bounds the engine and every container it starts, and
// killing what is in it is how an engine ends (with everything it ran).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../log.ts';

const CGROUP_ROOT = '/sys/fs/cgroup';
/** v1 hierarchies that get the session's limits and hold the engine's processes. */
const V1_CONTROLLERS = ['pids', 'memory', 'cpu'] as const;

/** Bounds for one session engine with everything it runs (the learner sets no limits there). */
export const SESSION_ENGINE_LIMITS = {
  memoryBytes: 1024 * 1024 * 1024,
  pids: 512,
  /** CPU time per period: one CPU. */
  cpuQuotaUs: 100_000,
  cpuPeriodUs: 100_000,
} as const;

/** The prefix of every session engine cgroup of an instance. */
export function instanceCgroupPrefix(instance: string): string {
  return `nslab-esc.${instance}.`;
}

/**
 * The cgroup (one name in every hierarchy) that holds a session engine: per instance, session
 * and engine. `engineCgroupName(instance, session, '')` is the prefix of all of a session's.
 */
export function engineCgroupName(instance: string, sessionId: string, engine = ''): string {
  return `${instanceCgroupPrefix(instance)}${sessionId}.${engine}`;
}

/** Directories of cgroup hierarchies on this host: the unified one on v2, each mounted one on v1. */
async function hierarchies(version: 1 | 2): Promise<string[]> {
  if (version === 2) return [CGROUP_ROOT];
  const entries = await readdir(CGROUP_ROOT).catch(() => []);
  const dirs = await Promise.all(
    entries.map(async (entry) => {
      const dir = path.join(CGROUP_ROOT, entry);
      try {
        await stat(path.join(dir, 'cgroup.procs'));
        return await realpath(dir);
      } catch {
        return undefined;
      }
    }),
  );
  return [...new Set(dirs.filter((d): d is string => d !== undefined))];
}

/** The cgroup directories, in every hierarchy, whose names start with `prefix`. */
export async function cgroupDirsWithPrefix(prefix: string, version: 1 | 2): Promise<string[]> {
  const found = await Promise.all(
    (await hierarchies(version)).map(async (h) =>
      (await readdir(h).catch(() => []))
        .filter((entry) => entry.startsWith(prefix))
        .map((entry) => path.join(h, entry)),
    ),
  );
  return found.flat();
}

/** Every cgroup directory under `dir`, deepest first. */
async function subtree(dir: string): Promise<string[]> {
  const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const below = await Promise.all(
    children.filter((c) => c.isDirectory()).map((c) => subtree(path.join(dir, c.name))),
  );
  return [...below.flat(), dir];
}

async function pidsIn(dirs: readonly string[]): Promise<number[]> {
  const lists = await Promise.all(
    dirs.map((d) => readFile(path.join(d, 'cgroup.procs'), 'utf8').catch(() => '')),
  );
  return lists
    .join('\n')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** SIGKILLs every process in the cgroups `tops` and below until none is left. */
async function killAll(tops: readonly string[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const dirs = (await Promise.all(tops.map(subtree))).flat();
    const pids = await pidsIn(dirs);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(50);
  }
}

/**
 * Kills every process in the named cgroup (in every hierarchy) and removes the cgroup. The
 * engine's namespace goes with its first process, and its mounts with the namespace.
 */
export async function destroyCgroup(name: string, version: 1 | 2): Promise<void> {
  const tops = (await hierarchies(version)).map((h) => path.join(h, name));
  if (version === 2)
    await writeFile(path.join(CGROUP_ROOT, name, 'cgroup.kill'), '1').catch(() => undefined);
  await killAll(tops);
  for (let round = 0; round < 40; round++) {
    const dirs = (await Promise.all(tops.map(subtree))).flat();
    const left: string[] = [];
    for (const dir of dirs) {
      try {
        await rmdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') left.push(dir);
      }
    }
    if (left.length === 0) return;
    await sleep(100);
  }
  throw new Error(`the session engine's cgroup ${name} could not be removed`);
}

/**
 * A limit this host's controllers cannot take is a warning, not a failure: the limits are a
 * guard rail around a daemon that is root anyway.
 */
async function setting(file: string, value: string): Promise<void> {
  await writeFile(file, value).catch((error: unknown) =>
    log.warn('a session engine limit could not be set', { file, error: String(error) }),
  );
}

async function makeV2(name: string): Promise<string[]> {
  const limits = SESSION_ENGINE_LIMITS;
  const top = path.join(CGROUP_ROOT, name);
  // Containers go in siblings of "daemon": on v2 processes live only in leaves.
  await mkdir(path.join(top, 'daemon'), { recursive: true });
  for (const dir of [CGROUP_ROOT, top]) {
    for (const controller of ['memory', 'pids', 'cpu']) {
      await setting(path.join(dir, 'cgroup.subtree_control'), `+${controller}`);
    }
  }
  await setting(path.join(top, 'memory.max'), String(limits.memoryBytes));
  await setting(path.join(top, 'pids.max'), String(limits.pids));
  await setting(path.join(top, 'cpu.max'), `${limits.cpuQuotaUs} ${limits.cpuPeriodUs}`);
  return [path.join(top, 'daemon', 'cgroup.procs')];
}

async function makeV1(name: string): Promise<string[]> {
  const limits = SESSION_ENGINE_LIMITS;
  const procs: string[] = [];
  for (const controller of V1_CONTROLLERS) {
    const top = path.join(CGROUP_ROOT, controller, name);
    if (!existsSync(path.join(CGROUP_ROOT, controller))) continue;
    await mkdir(path.join(top, 'daemon'), { recursive: true });
    procs.push(path.join(top, 'daemon', 'cgroup.procs'));
  }
  const at = (controller: string, file: string): string =>
    path.join(CGROUP_ROOT, controller, name, file);
  await setting(at('pids', 'pids.max'), String(limits.pids));
  await setting(at('memory', 'memory.limit_in_bytes'), String(limits.memoryBytes));
  await setting(at('cpu', 'cpu.cfs_period_us'), String(limits.cpuPeriodUs));
  await setting(at('cpu', 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs));
  return procs;
}

/**
 * Creates a session engine's cgroup with SESSION_ENGINE_LIMITS; returns the cgroup.procs
 * files the engine's processes go into.
 */
export function makeEngineCgroup(name: string, version: 1 | 2): Promise<string[]> {
  return version === 2 ? makeV2(name) : makeV1(name);
}
